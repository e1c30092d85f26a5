package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;

/** The one peer DTLS takes datagrams from (issue 18); the whole call with a forger is PeerStackForgedDtlsTest. */
class DtlsBindingTest {

    private static final TransportAddress LOCAL = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress PEER = TransportAddress.parse(Transport.UDP, "10.0.0.2:6000");
    private static final TransportAddress OTHER = TransportAddress.parse(Transport.UDP, "10.0.0.66:4444");

    private final DtlsBinding binding = new DtlsBinding();

    @Test
    void datagramsBeforeBindingWaitAndOnlyThePeersAreReleased() {
        assertThat(binding.keep(OTHER, datagram(1, 100))).isTrue();
        assertThat(binding.keep(PEER, datagram(2, 100))).isTrue();
        assertThat(binding.release(null)).as("no pair to answer on yet").isNull();

        ByteBuffer released = binding.release(pairTo(PEER));
        assertThat(released.remaining()).isEqualTo(100);
        assertThat(released.get(0)).isEqualTo((byte) 2);
        assertThat(binding.release(pairTo(PEER))).isNull();
        assertThat(binding.foreign()).as("the other address's datagram").isEqualTo(1);

        assertThat(binding.keep(PEER, datagram(3, 100))).as("bound now: nothing waits").isFalse();
        assertThat(binding.admits(PEER, pairTo(PEER))).isTrue();
        assertThat(binding.admits(OTHER, pairTo(PEER))).isFalse();
        assertThat(binding.foreign()).isEqualTo(2);
    }

    @Test
    void theSendingPairIsAdmittedBesideTheBoundPeer() {
        binding.bind(PEER);
        assertThat(binding.admits(OTHER, pairTo(OTHER))).as("where ICE sends now").isTrue();
        assertThat(binding.admits(OTHER, null)).isFalse();
        assertThat(binding.admits(null, pairTo(PEER))).as("no known pair").isFalse();
        assertThat(binding.keep(null, datagram(1, 10))).isFalse();
        assertThat(binding.foreign()).isEqualTo(2);
    }

    @Test
    void whatWaitsIsBoundedInCountAndSize() {
        assertThat(binding.keep(PEER, datagram(0, 2049))).as("too large: lost, as on the wire").isTrue();
        for (int i = 1; i <= 20; i++) {
            binding.keep(PEER, datagram(i, 2048));
        }
        int released = 0;
        for (ByteBuffer b; (b = binding.release(pairTo(PEER))) != null; released++) {
            assertThat(b.get(0)).isEqualTo((byte) (released + 1));
        }
        assertThat(released).isEqualTo(16);
        assertThat(binding.foreign()).isZero();
    }

    @Test
    void aKeptDatagramIsACopy() {
        ByteBuffer d = datagram(7, 50);
        binding.keep(PEER, d);
        d.put(0, (byte) 9);
        assertThat(binding.release(pairTo(PEER)).get(0)).isEqualTo((byte) 7);
    }

    private static ByteBuffer datagram(int first, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put(0, (byte) first);
        return b;
    }

    private static CandidatePair pairTo(TransportAddress remote) {
        return new CandidatePair(candidate(LOCAL), candidate(remote));
    }

    private static IceCandidate candidate(TransportAddress address) {
        return IceCandidate.of("1", 1, 100, address, CandidateType.HOST, null);
    }
}
