package org.rtc4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lossy relay forwards both ways, drops about the share asked for, and rewrites SDP candidates. */
@Timeout(60)
class LossyUdpRelayTest {

    @Test
    void forwardsBothWaysAndDropsAboutTheShareAskedFor() throws Exception {
        LoopbackNamespace.require();
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket left = new DatagramSocket(new InetSocketAddress(lo, 0));
             DatagramSocket right = new DatagramSocket(new InetSocketAddress(lo, 0));
             LossyUdpRelay relay = LossyUdpRelay.start((InetSocketAddress) right.getLocalSocketAddress(), 0.1, 7)) {
            for (DatagramSocket s : new DatagramSocket[] {left, right}) {
                s.setReceiveBufferSize(4 << 20);
                s.setSoTimeout(1000);
            }
            int n = 1000;
            for (int i = 0; i < n; i++) {
                left.send(new DatagramPacket(new byte[] {(byte) i}, 1, relay.leftFacing()));
            }
            int toRight = drain(right, relay.rightFacing());
            for (int i = 0; i < n; i++) {
                right.send(new DatagramPacket(new byte[] {(byte) i}, 1, relay.rightFacing()));
            }
            int toLeft = drain(left, relay.leftFacing());
            assertThat(toRight).isBetween(850, 950);
            assertThat(toLeft).isBetween(850, 950);
            assertThat(relay.forwarded()).isEqualTo(toRight + toLeft);
            assertThat(relay.dropped()).isEqualTo(2L * n - toRight - toLeft);
        }
    }

    /** The datagrams that come, all from {@code from}, until none for a second. */
    private static int drain(DatagramSocket s, InetSocketAddress from) throws Exception {
        int count = 0;
        DatagramPacket p = new DatagramPacket(new byte[16], 16);
        while (true) {
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return count;
            }
            assertThat(p.getSocketAddress()).isEqualTo(from);
            count++;
        }
    }

    @Test
    void rewritesTheFirstUdpCandidateAndDropsTheOthers() {
        String sdp = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active\r\n"
                + "a=candidate:2 1 udp 2113937151 127.0.0.1 40000 typ host generation 0\r\n"
                + "a=candidate:3 1 udp 2113937150 ::1 40001 typ host\r\n"
                + "a=candidate:4 1 udp 2113937149 127.0.0.1 40002 typ host\r\n";
        assertThat(LossyUdpRelay.firstUdpCandidate(sdp)).isEqualTo(new InetSocketAddress("127.0.0.1", 40000));
        String out = LossyUdpRelay.rewriteCandidates(sdp, new InetSocketAddress("127.0.0.1", 5555));
        assertThat(out).isEqualTo("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=candidate:2 1 udp 2113937151 127.0.0.1 5555 typ host generation 0\r\n");
        assertThatThrownBy(() -> LossyUdpRelay.rewriteCandidates("v=0\r\n", new InetSocketAddress(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
