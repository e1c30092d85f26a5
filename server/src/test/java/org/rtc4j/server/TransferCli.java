package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./rtc4j send} and {@code receive} as processes of their own under {@code -Xmx64m} against a demo server,
 * their output in files, and the hashes the transfer tests compare.
 */
final class TransferCli implements AutoCloseable {

    static final Pattern CODE = Pattern.compile("code: ([0-9]+-[a-z]+-[a-z]+)");
    /** Logging as the command lines' own, and each peer connection's counters at its close. */
    private static final String LOGGING = Path.of(java.net.URI.create(
            TransferCli.class.getResource("/logback-cli.xml").toString())).toString();
    static final Pattern LINK = Pattern.compile("open in a browser: (\\S+)");

    private final Path tmp;
    private final String server;
    private final List<Process> processes = new ArrayList<>();
    private final Map<Process, Path> logs = new HashMap<>();

    TransferCli(Path tmp, String server) {
        this.tmp = tmp;
        this.server = server;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }

    List<String> command(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-Dlogback.configurationFile=" + LOGGING, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        c.addAll(List.of(args));
        c.add("--server");
        c.add(server);
        return c;
    }

    Process cli(String... args) throws IOException {
        return start(command(args));
    }

    Process start(List<String> command) throws IOException {
        Path log = Files.createTempFile(tmp, "out", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        logs.put(p, log);
        return p;
    }

    String output(Process p) throws IOException {
        return Files.readString(logs.get(p), StandardCharsets.UTF_8);
    }

    String awaitCode(Process sender) throws Exception {
        return await(sender, CODE);
    }

    /** The first group of {@code pattern} in the process's output, once it appears (30 s at most). */
    String await(Process p, Pattern pattern) throws Exception {
        for (int i = 0; i < 600; i++) {
            Matcher m = pattern.matcher(output(p));
            if (m.find()) {
                return m.group(1);
            }
            assertThat(p.isAlive()).as(output(p)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("no " + pattern + ": " + output(p));
    }

    String finish(Process p, int seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in " + seconds + " s: " + output(p));
        }
        return output(p);
    }

    /** Waits until the receiver's partial file holds {@code bytes}; returns what its map says it holds. */
    long awaitPartial(Path out, long bytes, Process receiver) throws Exception {
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

    static Path randomFile(Path p, long size) throws IOException {
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

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), hex(sha256(p)));
            }
        }
        return m;
    }

    static byte[] sha256(Path p) throws IOException {
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

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
