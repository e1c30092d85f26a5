package org.rtc4j.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium process driven over the DevTools protocol, with nothing but the JDK: read the
 * DevTools port from stderr, list and open pages over HTTP, talk to a page over a WebSocket. Kept small
 * until the shared browser harness lands in testkit.
 */
final class Chromium implements AutoCloseable {
    private static final String BINARY = "/usr/lib/chromium/chromium";
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)/");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final int devToolsPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<DevToolsPage> pages = new ArrayList<>();

    private Chromium(Process process, Path profile, int devToolsPort) {
        this.process = process;
        this.profile = profile;
        this.devToolsPort = devToolsPort;
    }

    /** Starts Chromium with a fake camera and microphone, showing {@code url}. */
    static Chromium launch(URI url) throws IOException, InterruptedException {
        return launch(url, true);
    }

    /** Starts Chromium showing {@code url}; without fake devices it has no camera or microphone at all. */
    static Chromium launch(URI url, boolean fakeDevices) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("rtc4j-chromium-");
        List<String> command = new ArrayList<>(List.of(BINARY,
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection", "--window-size=1280,800",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", url.toString()));
        if (fakeDevices) {
            command.add(1, "--use-fake-device-for-media-stream");
        }
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Deque<String> early = new ArrayDeque<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                for (String line; (line = err.readLine()) != null; ) {
                    synchronized (early) {
                        early.add(line);
                        if (early.size() > 200) {
                            early.removeFirst();
                        }
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            port.completeExceptionally(new IOException("chromium exited before DevTools listened: " + early));
        });
        try {
            return new Chromium(p, profile, port.get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            reader.interrupt();
            throw new IOException("chromium did not start: " + e.getMessage() + "; stderr: " + early, e);
        }
    }

    /** The page (tab) whose URL is {@code url}, waiting for it to appear. */
    DevToolsPage page(URI url) throws Exception {
        for (int i = 0; i < 100; i++) {
            for (JsonNode target : getJson("/json/list")) {
                if ("page".equals(target.path("type").asText()) && url.toString().equals(target.path("url").asText())) {
                    return connect(target);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no page at " + url + " in " + getJson("/json/list"));
    }

    /** Opens a new tab at {@code url}. */
    DevToolsPage open(URI url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(devTools("/json/new?" + url))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return connect(JSON.readTree(r.body()));
    }

    private DevToolsPage connect(JsonNode target) throws Exception {
        DevToolsPage page = DevToolsPage.connect(http, URI.create(target.get("webSocketDebuggerUrl").asText()));
        pages.add(page);
        return page;
    }

    private JsonNode getJson(String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(devTools(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private URI devTools(String path) {
        return URI.create("http://127.0.0.1:" + devToolsPort + path);
    }

    @Override
    public void close() throws IOException {
        pages.forEach(DevToolsPage::close);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
