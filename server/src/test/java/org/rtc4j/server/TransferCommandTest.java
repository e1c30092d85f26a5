package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;

/**
 * {@code ./rtc4j send} to {@code ./rtc4j receive}, each its own JVM under {@code -Xmx64m}, paired by a signaling
 * server in this JVM, over loopback in the test namespace.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TransferCommandTest {

    private static final Pattern CODE = Pattern.compile("code: ([0-9]+-[a-z]+-[a-z]+)");
    private static final Pattern SUMMARY = Pattern.compile("received (\\d+) files, (\\d+) bytes \\((\\d+) over the network\\)");

    @TempDir
    Path tmp;
    private WebServer server;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = WebServer.start(WebServerConfig.loopback());
    }

    @AfterEach
    void stop() throws Exception {
        processes.forEach(Process::destroyForcibly);
        server.close();
    }

    @Test
    void aDirectoryOf1000SmallFilesAndA200MegabyteFileArriveWhole() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/many"));
        Random r = new Random(7);
        for (int i = 0; i < 1000; i++) {
            Path p = src.resolve("d" + (i % 10) + "/file-" + i + ".txt");
            Files.createDirectories(p.getParent());
            Files.write(p, bytes(r, 1 + r.nextInt(8000)));
        }
        Path big = randomFile(tmp.resolve("src/big.bin"), 200_000_000L);
        Process sender = cli("send", src.toString(), big.toString());
        String code = awaitCode(sender);
        Path out = tmp.resolve("out");
        Process receiver = cli("receive", code, "--dir", out.toString());
        String got = finish(receiver, 240);
        assertThat(receiver.exitValue()).as(got).isZero();
        assertThat(got).contains("received 1001 files");
        assertThat(finish(sender, 30)).contains("sent 1001 files");
        assertThat(sender.exitValue()).isZero();
        assertThat(hashes(out)).isEqualTo(hashes(tmp.resolve("src")));
    }

    @Test
    void aReceiverKilledHalfWayResumesAndOnlyTheRestIsSent() throws Exception {
        long size = 150_000_000L;
        Path big = randomFile(tmp.resolve("src/big.bin"), size);
        Process sender = cli("send", big.toString());
        String code = awaitCode(sender);
        Path out = tmp.resolve("out");
        Process first = cli("receive", code, "--dir", out.toString());
        long partial = awaitPartial(out, size / 2, first);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(out.resolve("big.bin")).doesNotExist();

        Process second = cli("receive", code, "--dir", out.toString());
        String got = finish(second, 120);
        assertThat(second.exitValue()).as(got).isZero();
        Matcher m = SUMMARY.matcher(got);
        assertThat(m.find()).as(got).isTrue();
        long network = Long.parseLong(m.group(3));
        System.out.println("resume: the first receiver was killed with " + partial + " bytes written; " + m.group());
        assertThat(Long.parseLong(m.group(2))).isEqualTo(size);
        // Only the rest came: what the first run had written (less the map's last unsaved 64 chunks) stayed.
        assertThat(network).as(got).isLessThanOrEqualTo(size - partial + 64L * 65_536 + 4L * 8 * 1024 * 1024)
                .isLessThan(size * 3 / 4);
        assertThat(finish(sender, 30)).contains("sent 1 files");
        assertThat(hex(sha256(out.resolve("big.bin")))).isEqualTo(hex(sha256(big)));
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("big.bin");
        }
    }

    @Test
    void aWrongCodeIsRefusedAndNothingIsWritten() throws Exception {
        Path file = Files.writeString(tmp.resolve("secret.txt"), "secret");
        Process sender = cli("send", file.toString());
        String code = awaitCode(sender);
        String[] parts = code.split("-");
        String wrong = parts[0] + "-" + (parts[1].equals("acid") ? "acorn" : "acid") + "-" + parts[2];
        Path out = tmp.resolve("out");
        Process receiver = cli("receive", wrong, "--dir", out.toString());
        String got = finish(receiver, 60);
        assertThat(receiver.exitValue()).isEqualTo(1);
        assertThat(got).contains("wrong code");
        assertThat(out).doesNotExist();
        // The sender keeps waiting (two more tries); the right code still works.
        Process right = cli("receive", code, "--dir", out.toString());
        assertThat(finish(right, 60)).contains("received 1 files");
        assertThat(out.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void progressIsBarsInATerminalAndPlainLinesInAPipe() throws Exception {
        Path big = randomFile(tmp.resolve("src/big.bin"), 120_000_000L);
        Process sender = cli("send", big.toString());
        String code = awaitCode(sender);
        // In a pseudo-terminal (util-linux script): bars redrawn in place.
        List<String> command = command("receive", code, "--dir", tmp.resolve("tty").toString());
        Process tty = start(List.of("script", "-q", "-e", "-c", String.join(" ", command.stream()
                .map(TransferCommandTest::quote).toList()), "/dev/null"));
        String screen = finish(tty, 120);
        assertThat(tty.exitValue()).as(screen).isZero();
        assertThat(screen).contains("[====").contains("MB/s").contains("left").contains("\u001b[") // redrawn
                .contains("big.bin: 120.0 MB, SHA-256 verified");
        finish(sender, 30);

        Process sender2 = cli("send", big.toString());
        String code2 = awaitCode(sender2);
        Process piped = cli("receive", code2, "--dir", tmp.resolve("pipe").toString());
        String lines = finish(piped, 120);
        assertThat(piped.exitValue()).as(lines).isZero();
        assertThat(lines).contains("progress: ").contains("big.bin: 120.0 MB, SHA-256 verified")
                .doesNotContain("\u001b[").doesNotContain("[====");
    }

    // ------------------------------------------------------------------------------------ helpers

    private List<String> command(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        c.addAll(List.of(args));
        c.add("--server");
        c.add(server.url().toString());
        return c;
    }

    private Process cli(String... args) throws IOException {
        return start(command(args));
    }

    private Process start(List<String> command) throws IOException {
        Path log = Files.createTempFile(tmp, "out", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        logs.put(p, log);
        return p;
    }

    private final Map<Process, Path> logs = new java.util.HashMap<>();

    private String output(Process p) throws IOException {
        return Files.readString(logs.get(p), StandardCharsets.UTF_8);
    }

    private String awaitCode(Process sender) throws Exception {
        for (int i = 0; i < 600; i++) {
            Matcher m = CODE.matcher(output(sender));
            if (m.find()) {
                return m.group(1);
            }
            assertThat(sender.isAlive()).as(output(sender)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("no code: " + output(sender));
    }

    private String finish(Process p, int seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in " + seconds + " s: " + output(p));
        }
        return output(p);
    }

    /** Waits until the receiver's partial file holds {@code bytes}; returns what its map says it holds. */
    private long awaitPartial(Path out, long bytes, Process receiver) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.exists(out) ? Files.walk(out) : Stream.empty()) {
                Path part = s.filter(p -> p.getFileName().toString().equals("0.part")).findFirst().orElse(null);
                if (part != null && Files.size(part) >= bytes) {
                    return Files.size(part);
                }
            }
            assertThat(receiver.isAlive()).as(output(receiver)).isTrue();
            Thread.sleep(5);
        }
        throw new AssertionError("the partial file did not grow: " + output(receiver));
    }

    private static Path randomFile(Path p, long size) throws IOException {
        Files.createDirectories(p.getParent());
        byte[] block = bytes(new Random(size), 1 << 20);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            for (long at = 0; at < size; at += block.length) {
                block[0]++; // no two megabytes alike
                f.write(block, 0, (int) Math.min(block.length, size - at));
            }
        }
        return p;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), hex(sha256(p)));
            }
        }
        return m;
    }

    private static byte[] sha256(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
