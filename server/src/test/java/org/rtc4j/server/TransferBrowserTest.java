package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rtc4j.server.TransferCli.hashes;
import static org.rtc4j.server.TransferCli.randomFile;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.RTCSettings;
import org.rtc4j.server.signaling.ErrorCode;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.signaling.SignalingEvent;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserException;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.transfer.SignalingRendezvous;
import org.rtc4j.transfer.TransferCode;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferListener;
import org.rtc4j.transfer.TransferOptions;
import org.rtc4j.transfer.TransferReceiver;
import org.rtc4j.transfer.TransferSender;

/**
 * The transfer page (/t) in headless Chromium against {@code ./rtc4j send} and {@code receive} (each its own JVM
 * under {@code -Xmx64m}), both ways: 100 MB and a small directory, SHA-256 matching; a receiving page reloaded
 * half way, and one whose room is still held by its previous visit; and a server that swaps the DTLS
 * fingerprints, refused before any file byte both ways (a sending page, a receiving page). A page that stops
 * on the way shows its trail of set-up steps and console, with the sender's output and the server's rooms.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class TransferBrowserTest {

    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration TRANSFER = Duration.ofSeconds(400);
    private static final long BIG = 100_000_000L;
    /** The small directory: sizes around the chunk size, an empty file, a nested one. */
    private static final Map<String, Integer> SMALL = Map.of("notes/empty.txt", 0, "notes/one.txt", 1,
            "notes/chunk.bin", 65_536, "notes/sub/more.bin", 70_001, "notes/sub/deeper/note.txt", 1234);

    /** The same bytes in the page and here: xorshift32 words, little-endian, per file from its seed. */
    private static final String GENERATE = """
            function generate(seed, size) {
              let s = seed | 0 || 1;
              const parts = [];
              for (let at = 0; at < size; at += 1 << 20) {
                const n = Math.min(1 << 20, size - at);
                const w = new Int32Array(Math.ceil(n / 4));
                for (let i = 0; i < w.length; i++) { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; w[i] = s; }
                parts.push(new Uint8Array(w.buffer, 0, n));
              }
              return new Blob(parts);
            }""";

    /** SubtleCrypto's SHA-256 of a Blob, not the page's own: an independent check of what is on disk. */
    private static final String SHA256_FUNCTION = """
            (async blob => [...new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))]
                .map(b => b.toString(16).padStart(2, '0')).join(''))""";
    /** The SHA-256 of a file of the origin private file system, by its path. */
    private static final String SUBTLE_SHA256 = """
            (async () => {
              let dir = await navigator.storage.getDirectory();
              const parts = '%s'.split('/');
              for (const n of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(n);
              return await""" + SHA256_FUNCTION + """
            (await (await dir.getFileHandle(parts[parts.length - 1])).getFile());
            })()""";

    @TempDir
    Path tmp;
    private WebServer server;
    private TransferCli t;

    @BeforeEach
    void start() throws Exception {
        LoopbackNamespace.require();
        server = WebServer.start(WebServerConfig.loopback());
        t = new TransferCli(tmp, server.url().toString());
    }

    @AfterEach
    void stop() {
        t.close();
        server.close();
    }

    @Test
    void theCommandLineSendsToABrowser() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        randomFile(src.resolve("big.bin"), BIG);
        Random r = new Random(5);
        for (var e : SMALL.entrySet()) {
            Path p = src.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            byte[] b = new byte[e.getValue()];
            r.nextBytes(b);
            Files.write(p, b);
        }
        Process sender = t.cli("send", src.resolve("big.bin").toString(), src.resolve("notes").toString());
        String link = t.await(sender, TransferCli.LINK);
        assertThat(link).startsWith(server.url().resolve("/t#").toString());
        try (Chromium browser = Chromium.launch()) {
            BrowserPage page = browser.open(URI.create(link), STEP);
            // The sender's output too: this transfer used to stall in about 1 run of 8 (the page's proof or a
            // "written" never reached the sender; the empty file's end never reached the page, fixed by keeping
            // a file's channel open until its "ok"). The page's state carries its disk worker's progress
            // (app.disk), and the sender's silence error what still came from the page.
            awaitEnd(page, () -> senderSaid(sender));
            assertThat(received(page)).isEqualTo(hashes(src));
            assertThat(((Number) page.evaluate("window.rtc4jTransfer.disk.posted", STEP)).intValue())
                    .as("messages to the page's disk worker: a chunk each, and the calls").isGreaterThan(1526);
            assertThat(((Number) page.evaluate("window.rtc4jTransfer.disk.posted - window.rtc4jTransfer.disk.answered",
                    STEP)).longValue())
                    .as("each answered").isEqualTo(0L);
            Object queued = page.evaluate("window.rtc4jTransfer.maxQueued", STEP);
            System.out.println("command line to browser: at most " + queued + " chunks waited for the page's worker");
            assertThat(((Number) queued).intValue()).as("chunks received and not yet written, at most")
                    .isBetween(1, 64);
        }
        String sent = t.finish(sender, 60);
        System.out.println("command line to browser: " + sent.lines().filter(l -> l.startsWith("sent")).findFirst().orElse(sent));
        assertThat(sent).contains("sent 6 files");
        assertThat(sender.exitValue()).isZero();
    }

    /**
     * Forty files of 0 and 1 bytes: channels that open, carry an end and close within milliseconds. Chromium 156
     * never gave the page the end of one of them in 3 of 7 runs while the sender closed each channel with its end
     * (the sender now waits for the file's "ok").
     */
    @Test
    void theCommandLineSendsManyTinyFilesToABrowser() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src/tiny"));
        for (int i = 0; i < 40; i++) {
            Files.write(dir.resolve("t" + i + ".txt"), i % 2 == 0 ? new byte[0] : new byte[] {(byte) i});
        }
        Process sender = t.cli("send", dir.toString());
        String link = t.await(sender, TransferCli.LINK);
        try (Chromium browser = Chromium.launch()) {
            BrowserPage page = browser.open(URI.create(link), STEP);
            awaitEnd(page, () -> senderSaid(sender));
            assertThat(received(page)).isEqualTo(hashes(tmp.resolve("src")));
        }
        assertThat(t.finish(sender, 60)).contains("sent 40 files");
    }

    @Test
    void aBrowserReloadedHalfWayResumesAndOnlyTheRestIsSent() throws Exception {
        Path big = randomFile(tmp.resolve("src/big.bin"), BIG);
        Process sender = t.cli("send", big.toString());
        String link = t.await(sender, TransferCli.LINK);
        try (Chromium browser = Chromium.launch()) {
            BrowserPage page = browser.open(URI.create(link), STEP);
            awaitReceived(page, 40_000_000L, () -> senderSaid(sender));
            page.close(); // the tab closed: the transfer breaks off; the link opened again resumes it
            page = browser.open(URI.create(link), STEP);
            awaitEnd(page, () -> senderSaid(sender));
            System.out.println("the reloaded page's steps: "
                    + page.evaluate("JSON.stringify(window.rtc4jTransfer.steps)", STEP));
            Object present = page.evaluate("window.rtc4jTransfer.present", STEP);
            assertThat(((Number) present).longValue()).as("bytes kept from the first visit").isGreaterThan(30_000_000L);
            String hash = (String) page.evaluate(SUBTLE_SHA256.formatted("received/big.bin"), STEP);
            assertThat(hash).isEqualTo(TransferCli.hex(TransferCli.sha256(big)));
        }
        System.out.println("browser resume: sent " + overTheNetwork(t.finish(sender, 60), BIG) + " bytes over the network");
    }

    /** A receiving page whose connection breaks resumes on its own, as a reload would: only the rest is sent. */
    @Test
    void aReceivingPageWhoseConnectionBreaksResumesOnItsOwn() throws Exception {
        long size = 40_000_000L;
        Path file = randomFile(tmp.resolve("src/file.bin"), size);
        Process sender = t.cli("send", file.toString());
        String link = t.await(sender, TransferCli.LINK);
        try (Chromium browser = Chromium.launch()) {
            BrowserPage page = browser.open(URI.create(link), STEP);
            awaitReceived(page, size / 2, () -> senderSaid(sender));
            page.evaluate("window.rtc4jTransfer.interrupt('the test broke the connection')", STEP);
            awaitEnd(page, () -> senderSaid(sender));
            assertThat((String) page.evaluate("JSON.stringify(window.rtc4jTransfer.steps)", STEP))
                    .contains("broken off (the test broke the connection); resuming");
            String hash = (String) page.evaluate(SUBTLE_SHA256.formatted("received/file.bin"), STEP);
            assertThat(hash).isEqualTo(TransferCli.hex(TransferCli.sha256(file)));
        }
        overTheNetwork(t.finish(sender, 60), size);
    }

    /** The bytes a sender of one file of {@code size} says went over the network: checked as under 3/4 of it. */
    private static long overTheNetwork(String sent, long size) {
        Matcher m = Pattern.compile("sent 1 files, " + size + " bytes \\((\\d+) over the network\\)").matcher(sent);
        assertThat(m.find()).as(sent).isTrue();
        long n = Long.parseLong(m.group(1));
        assertThat(n).as(sent).isLessThan(size * 3 / 4);
        return n;
    }

    /**
     * The link opened again before the server has seen the previous visit's socket close (a reload on a loaded
     * machine; here a client of the test holds that place in the room): the page's join finds the room full, and
     * it tries again until the place is free, instead of failing with "someone else is using this link".
     */
    @Test
    void aPageWhoseRoomIsStillHeldByItsPreviousVisitJoinsOnceThatLeaves() throws Exception {
        Path file = randomFile(tmp.resolve("src/file.bin"), 5_000_000L);
        Process sender = t.cli("send", file.toString());
        String link = t.await(sender, TransferCli.LINK);
        String nameplate = link.substring(link.indexOf('#') + 1, link.indexOf('-', link.indexOf('#')));
        CompletableFuture<Void> offered = new CompletableFuture<>();
        URI signaling = SignalingRendezvous.signalingUri(server.url().toString());
        SignalingClient previousVisit = SignalingClient.connect(signaling, e -> {
            if (e instanceof SignalingEvent.Relayed r && r.data().asText().contains("offer")) {
                offered.complete(null);
            }
        }).get(30, TimeUnit.SECONDS);
        previousVisit.join("rtc4j-transfer-" + nameplate).get(30, TimeUnit.SECONDS);
        // The sender's offer to that visit is out before the page comes: it is no answer to the page.
        offered.get(60, TimeUnit.SECONDS);
        long refusedBefore = server.hub().stats().errors(ErrorCode.ROOM_FULL);
        try (Chromium browser = Chromium.launch()) {
            BrowserPage page = browser.open(URI.create(link), STEP);
            long end = System.nanoTime() + STEP.toNanos();
            while (server.hub().stats().errors(ErrorCode.ROOM_FULL) == refusedBefore && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(server.hub().stats().errors(ErrorCode.ROOM_FULL)).as("the page's join refused: the room is full")
                    .isGreaterThan(refusedBefore);
            previousVisit.abort(); // its socket drops, as a closed tab's does
            awaitEnd(page, () -> senderSaid(sender));
            String hash = (String) page.evaluate(SUBTLE_SHA256.formatted("received/file.bin"), STEP);
            assertThat(hash).isEqualTo(TransferCli.hex(TransferCli.sha256(file)));
        }
        assertThat(t.finish(sender, 60)).contains("sent 1 files");
    }

    @Test
    void aBrowserSendsToTheCommandLine() throws Exception {
        try (Chromium browser = Chromium.launch()) {
            StringBuilder files = new StringBuilder("[{ path: 'big.bin', file: generate(1, " + BIG + ") }");
            Map<String, String> expected = new TreeMap<>(Map.of("big.bin", generatedHash(1, BIG)));
            int seed = 2;
            for (var e : SMALL.entrySet()) {
                files.append(", { path: '").append(e.getKey()).append("', file: generate(").append(seed).append(", ")
                        .append(e.getValue()).append(") }");
                expected.put(e.getKey(), generatedHash(seed++, e.getValue()));
            }
            files.append(", { path: 'notes/nothing/at-all', directory: true }");
            BrowserPage page = browser.open(server.url().resolve("/t"), STEP);
            String link = send(page, files + "]");
            assertThat(link).startsWith(server.url().resolve("/t#").toString());
            Path out = tmp.resolve("out");
            Process receiver = t.cli("receive", link, "--dir", out.toString());
            String got = t.finish(receiver, (int) TRANSFER.toSeconds());
            assertThat(receiver.exitValue()).as(got).isZero();
            assertThat(got).contains("received 6 files");
            System.out.println("browser to command line: " + got.lines().filter(l -> l.startsWith("received")).findFirst().orElse(got));
            assertThat(hashes(out)).isEqualTo(expected);
            try (var empty = Files.list(out.resolve("notes/nothing/at-all"))) {
                assertThat(empty).as("an empty folder, sent as one").isEmpty();
            }
            awaitEnd(page);
        }
    }

    @Test
    void aServerThatSwapsFingerprintsIsRefusedByThePageBeforeAnyFileByte() throws Exception {
        try (Chromium browser = Chromium.launch()) {
            BrowserPage page = browser.open(server.url().resolve("/t"), STEP);
            String link = send(page, "[{ path: 'secret.bin', file: generate(9, 500000) }]");
            TransferOptions options = TransferOptions.defaults()
                    .withSettings(RTCSettings.defaults().withLoopbackCandidates(true));
            Path out = tmp.resolve("out");
            var hostile = new HostileRendezvous(new SignalingRendezvous(SignalingRendezvous.signalingUri(
                    server.url().toString())), options);
            assertThatThrownBy(() -> TransferReceiver.receive(TransferCode.parse(link), out, hostile, options,
                    new TransferListener() { }))
                    .isInstanceOfSatisfying(TransferException.class, e -> {
                        assertThat(e.reason()).as(e.getMessage()).isEqualTo(TransferException.Reason.INTERCEPTED);
                        assertThat(e.getMessage()).contains("may be intercepted");
                    });
            Object refusal = page.waitFor("the page's refusal", "window.rtc4jTransfer.lastRefusal",
                    v -> v instanceof String, STEP);
            assertThat((String) refusal).contains("may be intercepted");
            assertThat(hostile.binaryRelayed.get()).isZero();
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void aServerThatSwapsFingerprintsIsRefusedBeforeAnyFileByteReachesTheReceivingPage() throws Exception {
        Path secret = randomFile(tmp.resolve("src/secret.bin"), 500_000);
        TransferOptions options = TransferOptions.defaults()
                .withSettings(RTCSettings.defaults().withLoopbackCandidates(true));
        var hostile = new HostileRendezvous(new SignalingRendezvous(SignalingRendezvous.signalingUri(
                server.url().toString())), options);
        List<String> said = new CopyOnWriteArrayList<>();
        try (TransferSender sender = TransferSender.start(List.of(secret), hostile, options, new TransferListener() {
                @Override
                public void status(String text) {
                    said.add(text);
                }
            });
             Chromium browser = Chromium.launch()) {
            Thread awaiting = Thread.ofVirtual().start(() -> {
                try {
                    sender.await(); // waits on for another receiver after the refusal, until closed
                } catch (TransferException | InterruptedException e) {
                    // the test closes the sender
                }
            });
            BrowserPage page = browser.open(URI.create(sender.code().link(server.url().toString())), STEP);
            page.waitFor("the page's end", "window.rtc4jTransfer && window.rtc4jTransfer.state",
                    v -> "done".equals(v) || "failed".equals(v), STEP);
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) page.evaluate("window.rtc4jTransfer.error", STEP);
            assertThat(error).as("the page's error").containsEntry("reason", "INTERCEPTED");
            assertThat((String) error.get("message")).contains("may be intercepted");
            // the page may see the refusal before the sender has said it: wait for the sender's words
            long end = System.nanoTime() + STEP.toNanos();
            while (said.stream().noneMatch(m -> m.contains("may be intercepted")) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(said).as("what the sender said").anySatisfy(m -> assertThat(m).contains("may be intercepted"));
            assertThat(hostile.binaryRelayed.get()).isZero();
            Object stored = page.evaluate("""
                    (async () => {
                      const names = [];
                      for await (const n of (await navigator.storage.getDirectory()).keys()) names.push(n);
                      return names.join(',');
                    })()""", STEP);
            assertThat(stored).as("what the page stored").isEqualTo("");
            sender.close();
            awaiting.join(STEP);
        }
    }

    /** Has the sending page send {@code files} (JavaScript: an array of {path, file}), and returns its link. */
    private static String send(BrowserPage page, String files) {
        page.waitFor("the page ready to send", "window.rtc4jTransfer && window.rtc4jTransfer.state",
                "choosing"::equals, STEP);
        page.evaluate("(() => { " + GENERATE + "\nwindow.rtc4jTransfer.send(" + files + "); return true; })()", STEP);
        Object link = page.waitFor("the link", "window.rtc4jTransfer.link || window.rtc4jTransfer.error",
                v -> v != null, STEP);
        assertThat(link).as("the sending page's link").isInstanceOf(String.class);
        return (String) link;
    }

    private static void awaitEnd(BrowserPage page) {
        awaitEnd(page, () -> "");
    }

    /**
     * Waits for the page's end; a failure says what the page did (its state with its trail of set-up steps, and
     * its console) and what {@code context} adds (the other end's output, the server's view).
     */
    private static void awaitEnd(BrowserPage page, Callable<String> context) {
        Object state;
        try {
            state = page.waitFor("the transfer's end", "window.rtc4jTransfer && window.rtc4jTransfer.state",
                    v -> "done".equals(v) || "failed".equals(v), TRANSFER);
        } catch (BrowserException e) {
            throw new AssertionError(e.getMessage()
                    + describe(() -> "\npage: " + page.evaluate("JSON.stringify(window.rtc4jTransfer)", STEP))
                    + describe(context), e);
        }
        if (!"done".equals(state)) { // the context is made only then: the sender's part waits for its last line
            throw new AssertionError("the page ended " + state + ": "
                    + page.evaluate("JSON.stringify(window.rtc4jTransfer)") + describe(context));
        }
        Object resumed = page.evaluate("JSON.stringify(window.rtc4jTransfer.steps.filter(s => s.includes('resuming')))");
        if (!"[]".equals(resumed)) { // done, after a connection that broke: shown, as it should be rare
            System.out.println("the page resumed on its own: " + resumed + describe(context));
        }
    }

    /**
     * Waits until the page's first file holds more than {@code bytes}; a page that failed on the way ends the wait
     * at once, and either failure says what the page did and what {@code context} adds.
     */
    private static void awaitReceived(BrowserPage page, long bytes, Callable<String> context) {
        Object got;
        try {
            got = page.waitFor(bytes / 1_000_000 + " MB received or a failure", """
                    window.rtc4jTransfer.state === 'failed' ? 'failed'
                        : window.rtc4jTransfer.files.length ? window.rtc4jTransfer.files[0].bytes : 0""",
                    v -> "failed".equals(v) || ((Number) v).longValue() > bytes, TRANSFER);
        } catch (BrowserException e) {
            got = e.getMessage();
        }
        if ("failed".equals(got) || !(got instanceof Number)) {
            throw new AssertionError("the page did not receive " + bytes + " bytes (" + got + "): "
                    + page.evaluate("JSON.stringify(window.rtc4jTransfer)", STEP) + describe(context));
        }
    }

    private static String describe(Callable<String> context) {
        try {
            return context.call();
        } catch (Exception e) {
            return "\n(no more context: " + e + ")";
        }
    }

    /**
     * The sender's output and the server's view, for a failure's message. The sender logs its peer connection's
     * counters (SCTP's TSNs, what waits, drops) as it closes, just after its error reached the page: a moment
     * for that line.
     */
    private String senderSaid(Process sender) throws Exception {
        Thread.sleep(1000);
        return "\nthe sender said:\n" + t.output(sender) + signalingView();
    }

    /** The signaling server's rooms, joins and refusals: whether the page's socket ever reached it. */
    private String signalingView() {
        var hub = server.hub();
        var errors = new TreeMap<String, Long>();
        for (ErrorCode code : ErrorCode.values()) {
            if (hub.stats().errors(code) > 0) {
                errors.put(code.wireName(), hub.stats().errors(code));
            }
        }
        return "\nsignaling server: " + hub.clientCount() + " clients, rooms " + hub.roomSizes() + ", "
                + hub.stats().joins() + " joins, errors " + errors;
    }

    /** The SHA-256 of each file the page placed, by its path under received/ (SubtleCrypto's, not the page's). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> received(BrowserPage page) {
        return new TreeMap<>((Map<String, Object>) page.evaluate("""
                (async () => {
                  const root = await navigator.storage.getDirectory();
                  const out = {};
                  for (const p of window.rtc4jTransfer.placed) {
                    let dir = root;
                    const parts = p.path.split('/');
                    for (const n of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(n);
                    const file = await (await dir.getFileHandle(parts[parts.length - 1])).getFile();
                    out[p.path.slice('received/'.length)] = await sha256(file);
                  }
                  return out;
                })()""".replace("sha256", SHA256_FUNCTION), STEP));
    }

    /** SHA-256 of {@link #GENERATE}'s bytes. */
    private static String generatedHash(int seed, long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        int s = seed == 0 ? 1 : seed;
        for (long at = 0; at < size; at += 1 << 20) {
            int n = (int) Math.min(1 << 20, size - at);
            buf.clear();
            for (int i = 0; i < (n + 3) / 4; i++) {
                s ^= s << 13;
                s ^= s >>> 17;
                s ^= s << 5;
                buf.putInt(s);
            }
            md.update(buf.array(), 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
