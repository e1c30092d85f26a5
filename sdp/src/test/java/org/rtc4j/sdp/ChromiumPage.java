package org.rtc4j.sdp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * A page in headless Chromium that talks to the test over HTTP on loopback: the page posts what it captured to
 * {@code /report?name=...} (a {@code fatal} report fails every wait), and asks the test for descriptions at the
 * paths given to {@link #serve}. Private and small on purpose; the test kit's harness will replace it.
 */
final class ChromiumPage implements AutoCloseable {

    /** Makes the response to what the page posted to a path. */
    interface Reply {
        String to(String body) throws Exception;
    }

    private static final String CHROMIUM = "/usr/lib/chromium/chromium";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, CompletableFuture<String>> reports = new ConcurrentHashMap<>();
    private final HttpServer server;
    private Path profile;
    private Process chromium;
    /** One deadline for the whole page, so a broken page fails every test quickly rather than each after a wait. */
    private long deadlineNanos;

    /**
     * The page: helpers for the steps ({@code post(name, body)} reports, {@code exchange(path, body)} asks the test,
     * {@code gathered(pc)} waits for ICE gathering, {@code tryStep(name, step)} reports a step's result or error),
     * the fake camera and microphone as {@code stream}, then {@code steps} in an async function.
     */
    private static String html(String title, String steps) {
        return """
                <!doctype html><meta charset="utf-8"><title>%s</title>
                <script>
                window.onerror = (message, source, line) => { fetch('/report?name=fatal', {method: 'POST', body: message + ' at line ' + line}); };
                </script>
                <script>
                const post = (name, body) => fetch('/report?name=' + name, {method: 'POST', body});
                const exchange = async (path, body) => (await fetch(path, {method: 'POST', body})).text();
                const gathered = pc => new Promise(resolve => {
                  if (pc.iceGatheringState === 'complete') return resolve();
                  pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
                });
                async function tryStep(name, step) {
                  try { await post(name, await step()); } catch (e) { await post(name, 'ERROR ' + e); }
                }
                (async () => {
                  const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: true});
                %s
                })().catch(e => post('fatal', String(e)));
                </script>
                """.formatted(title, steps);
    }

    ChromiumPage(String title, String steps) throws IOException {
        String html = html(title, steps);
        LoopbackNamespace.require();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> respond(ex, "text/html", html));
        server.createContext("/report", ex -> {
            String name = ex.getRequestURI().getQuery().substring("name=".length());
            String body = body(ex);
            if (name.equals("fatal")) {
                reports.values().forEach(f -> f.completeExceptionally(new AssertionError("page failed: " + body)));
            }
            report(name).complete(body);
            respond(ex, "text/plain", "ok");
        });
    }

    /** Answers the page's POSTs to {@code path}; a failure becomes the text {@code rtc4j could not reply: ...}. */
    ChromiumPage serve(String path, Reply reply) {
        server.createContext(path, ex -> {
            String text;
            try {
                text = reply.to(body(ex));
            } catch (Exception e) {
                text = "rtc4j could not reply: " + e;
            }
            save("rtc4j" + path.replace('/', '-'), text);
            respond(ex, "application/sdp", text);
        });
        return this;
    }

    /** Starts the server and Chromium on the page, with fake camera and microphone. */
    ChromiumPage open() throws IOException {
        server.start();
        profile = Files.createTempDirectory("rtc4j-sdp-chromium");
        deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        chromium = new ProcessBuilder(CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--allow-loopback-in-peer-connection", "--user-data-dir=" + profile, "--remote-debugging-port=0", url)
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        return this;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (chromium != null) {
            chromium.descendants().forEach(ProcessHandle::destroy);
            chromium.destroy();
            if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        server.stop(0);
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private CompletableFuture<String> report(String name) {
        return reports.computeIfAbsent(name, k -> new CompletableFuture<>());
    }

    /** Waits for a report from the page; saves it under target/ so captures can be refreshed by hand. */
    String await(String name) throws Exception {
        String text;
        try {
            text = report(name).get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String log = String.join("\n", Files.readAllLines(profile.resolve("chromium.log")).stream()
                    .filter(l -> !l.contains("dbus")).toList());
            throw new AssertionError("no '" + name + "' from the page within 60 s of Chromium's start; Chromium log: "
                    + log.substring(Math.max(0, log.length() - 4000)));
        } catch (ExecutionException e) {
            throw (AssertionError) e.getCause();
        }
        save(name, text);
        return text;
    }

    static void save(String name, String text) throws IOException {
        Path dir = Path.of("target", "captured-sdp");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".sdp"), text);
    }

    private static String body(HttpExchange ex) throws IOException {
        return new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange ex, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Random ICE credentials and a random fingerprint, as a fresh local end would have. */
    static JsepBuilder withLocalIdentity(JsepBuilder b) {
        byte[] digest = new byte[32];
        RANDOM.nextBytes(digest);
        return b.iceCredentials(iceChars(8), iceChars(24)).fingerprint(new Fingerprint("sha-256", digest));
    }

    static String iceChars(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
