package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.core.Clock;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.server.web.PemKeyStore;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.TestCertificate;
import org.rtc4j.turn.StunServer;

/**
 * The bounds on a STUN/TURN server's TCP connections (issue 18, "limits per address"): one client address
 * holds at most its share; a trickle of bytes does not keep a connection open; a connection holds buffers only
 * while a frame needs them.
 */
@Timeout(60)
class TcpLimitsTest {

    private static final InetAddress LO = InetAddress.getLoopbackAddress();

    @Test
    void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
        LoopbackNamespace.require(); // 127.0.0.2 and 127.0.0.3 are client addresses of their own
        List<Socket> held = new ArrayList<>();
        try (EngineRunner runner = EngineRunner.start(new StunServer(), List.of(TransportAddress.tcp(LO, 0)), List.of(),
                null, new TcpLimits(100, 3, Duration.ofSeconds(60)), Clock.system())) {
            int port = runner.localAddresses().get(0).port();
            for (int i = 0; i < 3; i++) {
                Socket s = connect("127.0.0.2", port);
                held.add(s);
                assertThat(binding(s)).isTrue();
            }
            assertThat(answeredOnNewConnection("127.0.0.2", port)).as("a fourth from the same address").isFalse();
            assertThat(answeredOnNewConnection("127.0.0.3", port)).as("another address").isTrue();
            assertThat(runner.refusedConnections()).isEqualTo(1);
            held.remove(0).close();
            boolean answered = false;
            for (int i = 0; i < 50 && !answered; i++) { // the runner sees the close shortly
                answered = answeredOnNewConnection("127.0.0.2", port);
            }
            assertThat(answered).as("a slot freed").isTrue();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aTrickleOfBytesDoesNotKeepAConnectionOpen() throws Exception {
        LoopbackNamespace.require();
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        try (EngineRunner runner = EngineRunner.start(new StunServer(), List.of(TransportAddress.tcp(LO, 0)), List.of(),
                null, new TcpLimits(100, 10, Duration.ofSeconds(60)), now::get);
                Socket trickle = connect("127.0.0.1", runner.localAddresses().get(0).port());
                Socket steady = connect("127.0.0.1", runner.localAddresses().get(0).port())) {
            byte[] request = StunMessage.request(StunMethod.BINDING).build().toBytes();
            trickle.getOutputStream().write(request, 0, 10); // a frame begun, never finished
            assertThat(binding(steady)).isTrue();
            now.updateAndGet(t -> t.plusSeconds(30));
            trickle.getOutputStream().write(request, 10, 1);
            assertThat(binding(steady)).isTrue();
            now.updateAndGet(t -> t.plusSeconds(31)); // 61 s since the trickle's last whole frame, 31 since its last byte
            trickle.getOutputStream().write(request, 11, 1);
            assertThat(binding(steady)).as("a whole message 31 s ago keeps a connection").isTrue();
            assertThat(endOfStream(trickle)).as("61 s without a whole message").isTrue();
            assertThat(runner.tcpConnections()).isEqualTo(1);
        }
    }

    /** On a TLS listener, a handshake dragged out brings no whole message either. */
    @Test
    void aTlsHandshakeDraggedOutIsClosed(@TempDir Path dir) throws Exception {
        LoopbackNamespace.require();
        TestCertificate cert = TestCertificate.generate(dir, "IP:127.0.0.1");
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        try (EngineRunner runner = EngineRunner.start(new StunServer(), List.of(TransportAddress.tcp(LO, 0)),
                List.of(TransportAddress.tcp(LO, 0)), PemKeyStore.serverContext(cert.certificatePem(), cert.keyPem()),
                new TcpLimits(100, 10, Duration.ofSeconds(60)), now::get);
                Socket tls = connect("127.0.0.1", runner.tlsAddresses().get(0).port());
                Socket steady = connect("127.0.0.1", runner.localAddresses().get(0).port())) {
            tls.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}); // a 512-byte record, to come
            assertThat(binding(steady)).isTrue();
            // The steady connection asks again half way, so that no sweep may close it (it ran before the request
            // at times when the clock jumped 61 s at once).
            now.updateAndGet(t -> t.plusSeconds(31));
            assertThat(binding(steady)).isTrue();
            now.updateAndGet(t -> t.plusSeconds(30));
            tls.getOutputStream().write(0x01);
            assertThat(binding(steady)).as("a whole message 30 s ago keeps a connection").isTrue();
            assertThat(endOfStream(tls)).as("61 s of handshake").isTrue();
        }
    }

    @Test
    void aConnectionHoldsABufferOnlyWhileAFrameNeedsIt() throws Exception {
        LoopbackNamespace.require();
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(LO, 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept()) {
            accepted.configureBlocking(false);
            TransportAddress local = TransportAddress.tcp(LO, 1);
            TcpConnection connection = new TcpConnection(accepted, local, local, null, Instant.EPOCH);
            assertThat(connection.bufferedBytes()).as("a new connection").isZero();
            ByteBuffer shared = ByteBuffer.allocate(TcpConnection.MAX_FRAME);
            List<Integer> frames = new ArrayList<>();
            // A 40 KB STUN message (header and length: the framing does not read further) in two writes.
            ByteBuffer big = ByteBuffer.allocate(20 + 40_000).putShort((short) 0x0001).putShort((short) 40_000);
            client.write(big.flip().limit(20_000));
            while (connection.bufferedBytes() == 0) {
                connection.read(shared, f -> frames.add(f.remaining()), Instant.EPOCH);
            }
            assertThat(frames).isEmpty();
            assertThat(connection.bufferedBytes()).as("half a frame").isBetween(20_020, 40_020);
            client.write(big.limit(big.capacity()));
            while (frames.isEmpty()) {
                connection.read(shared, f -> frames.add(f.remaining()), Instant.EPOCH);
            }
            assertThat(frames).containsExactly(40_020);
            assertThat(connection.bufferedBytes()).as("after the frame").isZero();
        }
    }

    /** A TCP connection from {@code from} (any 127.x in the namespace) to the server on loopback. */
    static Socket connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(LO, port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Whether a Binding request on a new connection from {@code from} is answered (false: reset, at once or later). */
    private static boolean answeredOnNewConnection(String from, int port) throws IOException {
        try (Socket s = connect(from, port)) {
            return binding(s);
        } catch (SocketException resetWhileConnecting) {
            return false;
        }
    }

    /** Sends a Binding request; whether its answer came (false: the server closed or reset the connection). */
    static boolean binding(Socket s) throws IOException {
        StunMessage request = StunMessage.request(StunMethod.BINDING).build();
        try {
            s.getOutputStream().write(request.toBytes());
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] header = new byte[20];
            in.readFully(header);
            in.readFully(new byte[(header[2] & 0xFF) << 8 | (header[3] & 0xFF)]);
            return true;
        } catch (SocketException | java.io.EOFException e) {
            return false;
        }
    }

    private static boolean endOfStream(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException e) {
            return true; // reset
        }
    }
}
