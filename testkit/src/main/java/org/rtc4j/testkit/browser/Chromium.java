package org.rtc4j.testkit.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * A headless Chromium (the Debian package) in a process of its own, with a fresh profile, driven over the
 * DevTools protocol. Several may run at once. {@link #close()} ends the whole process tree and deletes the
 * profile; a shutdown hook does the same for any still open when the JVM exits, and every browser is
 * started under {@code timeout}, so even a killed JVM leaves nothing running past
 * {@link #MAX_LIFETIME}.
 *
 * <pre>{@code
 * LoopbackNamespace.require();
 * try (PageServer server = PageServer.start(); Chromium chromium = Chromium.launch()) {
 *     server.page("/test.html", html);
 *     BrowserPage page = chromium.open(server.uri("/test.html"));
 *     Object result = page.evaluate("runTest()");   // awaits the promise, returns its value as JSON types
 * }
 * }</pre>
 *
 * Pages must come from {@code http://127.0.0.1:<port>} (a secure context; about:blank gathers no
 * candidates). Inside the loopback-only namespace Chromium offers loopback candidates only because of
 * {@code --allow-loopback-in-peer-connection}.
 */
public final class Chromium implements AutoCloseable {

    /** The binary: the Debian package's, run directly (its /usr/bin wrapper adds flags and trips). */
    public static final Path DEFAULT_EXECUTABLE = Path.of("/usr/lib/chromium/chromium");

    /** How long a browser may live at most, whatever happens to the JVM that started it. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    /** The flag that gives the browser a fake camera and microphone (omit it for a browser with none). */
    public static final String FAKE_MEDIA_DEVICES = "--use-fake-device-for-media-stream";

    /** The flags every browser gets (the profile and the DevTools port are added). */
    public static final List<String> FLAGS = List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--mute-audio",
            // A loaded machine must not slow a tab further: no lower priority for renderers without a
            // visible page, no timer throttling in background tabs (several tabs share one browser).
            "--disable-renderer-backgrounding",
            "--disable-background-timer-throttling",
            "--disable-backgrounding-occluded-windows",
            "--window-size=1280,800",
            "--use-fake-ui-for-media-stream",
            FAKE_MEDIA_DEVICES,
            "--allow-loopback-in-peer-connection");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern DEVTOOLS_LINE = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final int STDERR_LINES = 200;
    private static final Set<Chromium> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Chromium chromium : OPEN) {
                chromium.kill();
            }
        }, "rtc4j-chromium-cleanup"));
    }

    private final Process process;
    private final Path profile;
    private final ArrayDeque<String> stderr = new ArrayDeque<>();
    private final CompletableFuture<URI> devToolsUri = new CompletableFuture<>();
    private final List<BrowserPage> pages = new ArrayList<>();
    private DevTools devTools;
    private volatile boolean closed;

    private Chromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /**
     * Starts a browser with {@link #FLAGS} and any extra flags, inside the loopback-only namespace (it fails
     * with the reason outside it, see {@link LoopbackNamespace#require()}).
     */
    public static Chromium launch(String... extraFlags) throws IOException, InterruptedException {
        return launch(List.of(), extraFlags);
    }

    /**
     * Starts a browser with {@link #FLAGS} except those in {@code omit} (e.g. {@link #FAKE_MEDIA_DEVICES} for
     * a browser without camera or microphone), plus any extra flags.
     */
    public static Chromium launch(Collection<String> omit, String... extraFlags)
            throws IOException, InterruptedException {
        for (String flag : omit) {
            if (!FLAGS.contains(flag)) {
                throw new IllegalArgumentException("not one of the default flags: " + flag);
            }
        }
        LoopbackNamespace.require(); // a browser never runs where it could reach anything but loopback
        Path executable = Path.of(System.getProperty("rtc4j.chromium", DEFAULT_EXECUTABLE.toString()));
        if (!Files.isExecutable(executable)) {
            throw new BrowserException("no Chromium at " + executable
                    + ": install the Debian package 'chromium' (./rtc4j test does)");
        }
        Path profile = Files.createTempDirectory("rtc4j-chromium-");
        List<String> command = new ArrayList<>();
        // timeout(1) is the last line of defence: it kills the browser's process group after MAX_LIFETIME
        // even when this JVM was killed before it could clean up.
        command.addAll(List.of("timeout", "--kill-after=5", MAX_LIFETIME.toSeconds() + "s"));
        command.add(executable.toString());
        FLAGS.stream().filter(f -> !omit.contains(f)).forEach(command::add);
        command.add("--user-data-dir=" + profile);
        command.add("--remote-debugging-address=127.0.0.1");
        command.add("--remote-debugging-port=0");
        command.addAll(List.of(extraFlags));
        command.add("about:blank");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteTree(profile);
            throw e;
        }
        Chromium chromium = new Chromium(process, profile);
        OPEN.add(chromium);
        try {
            chromium.start();
        } catch (RuntimeException | InterruptedException e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    private void start() throws InterruptedException {
        Thread reader = new Thread(this::readStderr, "chromium-stderr-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        process.onExit().thenRun(() -> devToolsUri.completeExceptionally(
                new BrowserException("Chromium exited with status " + process.exitValue() + " before DevTools"
                        + " started")));
        URI uri;
        try {
            uri = devToolsUri.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new BrowserException(e.getCause().getMessage() + "; its stderr:\n" + stderrTail(), e.getCause());
        } catch (TimeoutException e) {
            throw new BrowserException("Chromium did not open DevTools within " + START_TIMEOUT
                    + "; its stderr:\n" + stderrTail());
        }
        devTools = DevTools.connect(uri, START_TIMEOUT);
    }

    private void readStderr() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                Matcher m = DEVTOOLS_LINE.matcher(line);
                if (m.find()) {
                    devToolsUri.complete(URI.create(m.group(1)));
                }
                synchronized (stderr) {
                    if (stderr.size() == STDERR_LINES) {
                        stderr.removeFirst();
                    }
                    stderr.addLast(line);
                }
            }
        } catch (IOException e) {
            // The process ended; what was read is kept.
        }
    }

    /** Opens a new tab on {@code url} and waits for its load event. */
    public BrowserPage open(URI url) {
        return open(url, Duration.ofSeconds(30));
    }

    public BrowserPage open(URI url, Duration timeout) {
        requireOpen();
        Map<String, Object> target = devTools.call(null, "Target.createTarget", Map.of("url", "about:blank"),
                timeout);
        String targetId = (String) target.get("targetId");
        Map<String, Object> attached = devTools.call(null, "Target.attachToTarget",
                Map.of("targetId", targetId, "flatten", true), timeout);
        BrowserPage page = new BrowserPage(this, devTools, targetId, (String) attached.get("sessionId"));
        synchronized (pages) {
            pages.add(page);
        }
        page.navigate(url, timeout);
        return page;
    }

    /** The browser's main process id. */
    public long pid() {
        return process.pid();
    }

    /** The browser process and all its descendants (renderers, GPU and network services, zygotes). */
    public List<ProcessHandle> processTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        return tree;
    }

    /** The fresh profile directory (deleted by {@link #close()}). */
    public Path profile() {
        return profile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines Chromium wrote to stderr: for failure messages. */
    public String stderrTail() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this browser is closed");
        }
        if (!process.isAlive()) {
            throw new BrowserException("Chromium exited with status " + process.exitValue() + "; its stderr:\n"
                    + stderrTail());
        }
    }

    /** Asks the browser to quit, then kills whatever of its process tree is left, and deletes the profile. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Known before the browser quits: its children are re-parented (out of descendants()) when it does.
        List<ProcessHandle> tree = processTree();
        if (devTools != null) {
            try {
                devTools.send(null, "Browser.close", Map.of()).get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                // It may close the connection before answering; the kill below makes sure.
            }
            devTools.close();
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(tree);
    }

    /** Kills the process tree now and deletes the profile (what the shutdown hook does). */
    private void kill() {
        kill(processTree());
    }

    private void kill(List<ProcessHandle> known) {
        List<ProcessHandle> tree = new ArrayList<>(known);
        process.descendants().filter(p -> !tree.contains(p)).forEach(tree::add);
        for (ProcessHandle p : tree.reversed()) {
            if (isRunning(p)) {
                p.destroyForcibly();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tree.stream().anyMatch(Chromium::isRunning) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        deleteTree(profile);
        OPEN.remove(this);
    }

    /**
     * Whether a process still runs: alive and not a zombie. (Orphans of a browser are re-parented to PID 1,
     * which in a container may never reap them; a zombie holds nothing but its process id.)
     */
    public static boolean isRunning(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return p.isAlive();
        }
    }

    private static void deleteTree(Path root) {
        for (int attempt = 0; attempt < 5 && Files.exists(root); attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // A late write from a dying process: try again.
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Chromium[pid " + process.pid() + ", profile " + profile + (closed ? ", closed" : "") + "]";
    }
}
