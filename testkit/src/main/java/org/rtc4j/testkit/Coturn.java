package org.rtc4j.testkit;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * A real coturn {@code turnserver} on 127.0.0.1, started by a test (user alice, password secret, realm test),
 * listening on one port for UDP and TCP, relaying on loopback.
 */
public final class Coturn implements AutoCloseable {

    public final int port;
    /** The TLS port ({@link #startTls}), or 0. */
    public final int tlsPort;
    private final Process process;
    private final Path dir;

    private Coturn(int port, int tlsPort, Process process, Path dir) {
        this.port = port;
        this.tlsPort = tlsPort;
        this.process = process;
        this.dir = dir;
    }

    /** Starts coturn on free ports and waits until it answers a Binding request. */
    public static Coturn start(String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--no-tls"));
        args.addAll(List.of(extra));
        return start(0, args);
    }

    /**
     * Starts coturn as {@link #start} does, also serving TLS over TCP on {@link #tlsPort} with the certificate
     * chain and key in PEM files.
     */
    public static Coturn startTls(Path certificatePem, Path keyPem, String... extra)
            throws IOException, InterruptedException {
        int tlsPort = freePort();
        List<String> args = new ArrayList<>(List.of("--tls-listening-port=" + tlsPort, "--cert=" + certificatePem,
                "--pkey=" + keyPem));
        args.addAll(List.of(extra));
        return start(tlsPort, args);
    }

    private static Coturn start(int tlsPort, List<String> extra) throws IOException, InterruptedException {
        LoopbackNamespace.require();
        int port = freePort();
        int minPort = 20000 + (port % 20000);
        Path dir = Files.createTempDirectory("coturn");
        List<String> cmd = new ArrayList<>(List.of("turnserver", "-n", "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1", "--listening-port=" + port, "--min-port=" + minPort,
                "--max-port=" + (minPort + 200), "--lt-cred-mech", "--user=alice:secret", "--realm=test",
                "--fingerprint", "--no-dtls", "--allow-loopback-peers", "--no-cli",
                "--log-file=stdout", "--simple-log", "--pidfile=" + dir.resolve("pid")));
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile()).start();
        Coturn coturn = new Coturn(port, tlsPort, p, dir);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(100);
            byte[] request = BINDING_REQUEST.clone();
            for (int i = 0; i < 100; i++) {
                s.send(new java.net.DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), port));
                try {
                    s.receive(new java.net.DatagramPacket(new byte[1500], 1500));
                    // TCP listens too once UDP answers; give it a moment.
                    Thread.sleep(100);
                    return coturn;
                } catch (SocketTimeoutException e) {
                    if (!p.isAlive()) {
                        break;
                    }
                }
            }
        }
        String log = coturn.log();
        coturn.close();
        throw new IOException("coturn did not start: " + log);
    }

    public TransportAddress udp() {
        return new TransportAddress(Transport.UDP, InetAddress.getLoopbackAddress(), port);
    }

    public TransportAddress tcp() {
        return new TransportAddress(Transport.TCP, InetAddress.getLoopbackAddress(), port);
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * A STUN Binding request without attributes (RFC 8489 section 5): type 0x0001, length 0, the magic cookie,
     * a fixed transaction id. Enough to see that coturn answers.
     */
    private static final byte[] BINDING_REQUEST = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42,
        'r', 't', 'c', '4', 'j', '-', 'p', 'r', 'o', 'b', 'e', '!'};

    private static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int candidate;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                candidate = s.getLocalPort();
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate))) {
                return candidate;
            } catch (IOException busy) {
                // taken for UDP: try another
            }
        }
        throw new IOException("no free port");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
