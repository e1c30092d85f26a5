package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.turn.StunServer;

/** The STUN server on real loopback sockets: UDP and TCP, IPv4 and IPv6. */
class EngineRunnerTest {

    private EngineRunner runner;

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void answersOverUdpOnIpv4AndIpv6() throws Exception {
        LoopbackNamespace.require();
        runner = EngineRunner.start(new StunServer(), List.of(
                TransportAddress.udp(InetAddress.getByName("127.0.0.1"), 0),
                TransportAddress.udp(InetAddress.getByName("::1"), 0)));
        for (TransportAddress server : runner.localAddresses()) {
            assertThat(server.port()).isPositive();
            try (DatagramSocket socket = new DatagramSocket(0, server.ip())) {
                socket.setSoTimeout(5000);
                StunMessage request = StunMessage.request(StunMethod.BINDING).fingerprint().build();
                byte[] bytes = request.toBytes();
                socket.send(new DatagramPacket(bytes, bytes.length, server.socketAddress()));
                byte[] buffer = new byte[1500];
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                StunMessage response = StunMessage.parse(buffer, 0, packet.getLength());
                assertThat(response.transactionId()).isEqualTo(request.transactionId());
                StunAttribute.Address mapped = response.get(StunAttributeType.XOR_MAPPED_ADDRESS);
                assertThat(mapped.ip()).isEqualTo(server.ip());
                assertThat(mapped.port()).isEqualTo(socket.getLocalPort());
            }
        }
    }

    @Test
    void answersOverTcpWithStreamFraming() throws Exception {
        LoopbackNamespace.require();
        runner = EngineRunner.start(new StunServer(), List.of(
                TransportAddress.tcp(InetAddress.getByName("127.0.0.1"), 0),
                TransportAddress.tcp(InetAddress.getByName("::1"), 0)));
        for (TransportAddress server : runner.localAddresses()) {
            try (Socket socket = new Socket(server.ip(), server.port())) {
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                // Two requests in one write, then one request in three pieces.
                StunMessage a = StunMessage.request(StunMethod.BINDING).build();
                StunMessage b = StunMessage.request(StunMethod.BINDING).fingerprint().build();
                StunMessage c = StunMessage.request(StunMethod.BINDING).add(StunAttribute.software("x")).build();
                out.write(concat(a.toBytes(), b.toBytes()));
                out.flush();
                assertMapped(readMessage(in), a, socket);
                assertMapped(readMessage(in), b, socket);
                byte[] cb = c.toBytes();
                out.write(cb, 0, 3);
                out.flush();
                Thread.sleep(20);
                out.write(cb, 3, 20);
                out.flush();
                Thread.sleep(20);
                out.write(cb, 23, cb.length - 23);
                out.flush();
                assertMapped(readMessage(in), c, socket);
            }
        }
    }

    @Test
    void aStreamThatIsNotStunIsClosed() throws Exception {
        LoopbackNamespace.require();
        runner = EngineRunner.start(new StunServer(),
                List.of(TransportAddress.tcp(InetAddress.getByName("127.0.0.1"), 0)));
        TransportAddress server = runner.localAddresses().get(0);
        try (Socket socket = new Socket(server.ip(), server.port())) {
            socket.setSoTimeout(5000);
            // An RTP header (version 2): neither STUN nor ChannelData.
            socket.getOutputStream().write(new byte[] {(byte) 0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1});
            InputStream in = socket.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
        // The server still answers others.
        try (Socket socket = new Socket(server.ip(), server.port())) {
            socket.setSoTimeout(5000);
            StunMessage a = StunMessage.request(StunMethod.BINDING).build();
            socket.getOutputStream().write(a.toBytes());
            assertMapped(readMessage(new DataInputStream(socket.getInputStream())), a, socket);
        }
    }

    @Test
    void frameLengthsFollowStunAndChannelData() {
        assertThat(TcpConnection.frameLength(0x00, 8)).isEqualTo(28);
        assertThat(TcpConnection.frameLength(0x01, 0)).isEqualTo(20);
        assertThat(TcpConnection.frameLength(0x40, 5)).isEqualTo(12); // padded to four on streams
        assertThat(TcpConnection.frameLength(0x4F, 4)).isEqualTo(8);
        assertThat(TcpConnection.frameLength(0x7F, 4)).isEqualTo(8);
        assertThat(TcpConnection.frameLength(0x80, 4)).isEqualTo(-1);
        assertThat(TcpConnection.frameLength(0xC0, 4)).isEqualTo(-1);
    }

    private static void assertMapped(StunMessage response, StunMessage request, Socket socket) {
        assertThat(response.transactionId()).isEqualTo(request.transactionId());
        assertThat(response.hasFingerprint()).isEqualTo(request.hasFingerprint());
        StunAttribute.Address mapped = response.get(StunAttributeType.XOR_MAPPED_ADDRESS);
        assertThat(mapped.ip()).isEqualTo(socket.getLocalAddress());
        assertThat(mapped.port()).isEqualTo(socket.getLocalPort());
    }

    private static StunMessage readMessage(DataInputStream in) throws IOException, ParseException {
        byte[] header = new byte[20];
        in.readFully(header);
        int length = (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
        byte[] message = new byte[20 + length];
        System.arraycopy(header, 0, message, 0, 20);
        in.readFully(message, 20, length);
        return StunMessage.parse(message);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
