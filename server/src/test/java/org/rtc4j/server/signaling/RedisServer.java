package org.rtc4j.server.signaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian's) on a free loopback port, with a password, no persistence, and a bounded
 * life: {@code timeout} ends it even if the test JVM dies first. It can be stopped and started again on
 * the same port, empty, as a Redis that restarts without persistence would.
 * (Public for the web tests that run on two servers.)
 */
public final class RedisServer implements AutoCloseable {
    static final String PASSWORD = "test-secret";
    private final int port;
    private final Path dir;
    private Process process;
    /** With TLS: the options that replace the plain port (--port 0 --tls-port ...). */
    private List<String> tls = List.of();

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        RedisServer r = new RedisServer(freePort(), Files.createTempDirectory("redis"));
        r.startAgain();
        return r;
    }

    /**
     * A redis-server serving TLS only ({@code --port 0}), with {@code cert} and {@code key} (PEM); it
     * does not ask clients for certificates.
     */
    static RedisServer startTls(Path cert, Path key, Path ca) throws IOException, InterruptedException {
        RedisServer r = new RedisServer(freePort(), Files.createTempDirectory("redis"));
        r.tls = List.of("--port", "0", "--tls-port", Integer.toString(r.port), "--tls-cert-file", cert.toString(),
                "--tls-key-file", key.toString(), "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no");
        r.startAgain();
        return r;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** redis://:password@127.0.0.1:port, or rediss:// with TLS. */
    public String url() {
        return (tls.isEmpty() ? "redis" : "rediss") + "://:" + PASSWORD + "@127.0.0.1:" + port;
    }

    void startAgain() throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("timeout", "600", "redis-server", "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--requirepass", PASSWORD, "--dir", dir.toString()));
        command.addAll(tls.isEmpty() ? List.of("--port", Integer.toString(port)) : tls);
        Path log = dir.resolve("log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 200; i++) {
            // Over TLS the plain PING cannot be sent: the log says when it listens.
            if (tls.isEmpty() ? "+PONG".equals(command("PING"))
                    : Files.readString(log).contains("Ready to accept connections")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("log")));
    }

    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** One inline command (RESP inline form) with its first reply line, or null when nothing answers. */
    String command(String line) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("AUTH " + PASSWORD + "\r\n" + line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            readLine(in); // +OK of AUTH
            return readLine(in);
        } catch (IOException e) {
            return null;
        }
    }

    /** One inline command whose reply is an array of bulk strings (KEYS, HGETALL...), or null when nothing answers. */
    List<String> array(String line) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("AUTH " + PASSWORD + "\r\n" + line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            readLine(in);
            String head = readLine(in);
            if (!head.startsWith("*")) {
                throw new IllegalStateException(line + ": not an array: " + head);
            }
            List<String> items = new java.util.ArrayList<>();
            for (int n = Integer.parseInt(head.substring(1)); n > 0; n--) {
                String item = readLine(in);
                items.add(item.startsWith("$") ? readLine(in) : item.substring(1)); // bulk string, or integer
            }
            return items;
        } catch (IOException e) {
            return null;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
