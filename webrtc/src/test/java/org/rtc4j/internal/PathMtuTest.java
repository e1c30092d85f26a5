package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;

class PathMtuTest {

    private static final TransportAddress LAN = TransportAddress.parse(org.rtc4j.core.Transport.UDP, "192.168.1.2:5000");
    private static final TransportAddress LO = TransportAddress.parse(org.rtc4j.core.Transport.UDP, "127.0.0.1:5001");
    private static final TransportAddress PEER4 = TransportAddress.parse(org.rtc4j.core.Transport.UDP, "192.168.1.9:6000");
    private static final TransportAddress PEER6 = TransportAddress.parse(org.rtc4j.core.Transport.UDP, "[2001:db8::9]:6000");
    private static final TransportAddress PUBLIC = TransportAddress.parse(org.rtc4j.core.Transport.UDP, "198.51.100.7:7000");

    /** A LAN interface of MTU 1500 and loopback of 65536. */
    private static int mtu(InetAddress a) {
        return a.isLoopbackAddress() ? 65_536 : a.equals(LAN.ip()) ? 1500 : -1;
    }

    private static IceCandidate cand(TransportAddress a, CandidateType type) {
        return IceCandidate.of("1", 1, 100, a, type, type == CandidateType.HOST ? null : LAN);
    }

    @Test
    void hostPairUsesItsOwnInterface() {
        CandidatePair lan = new CandidatePair(cand(LAN, CandidateType.HOST), cand(PEER4, CandidateType.HOST));
        assertThat(PathMtu.maxUdpPayload(lan, List.of(LAN, LO), PathMtuTest::mtu)).isEqualTo(1500 - 20 - 8);
        CandidatePair v6 = new CandidatePair(cand(LAN, CandidateType.HOST), cand(PEER6, CandidateType.HOST));
        assertThat(PathMtu.maxUdpPayload(v6, List.of(LAN), PathMtuTest::mtu)).isEqualTo(1500 - 40 - 8);
        CandidatePair lo = new CandidatePair(cand(LO, CandidateType.HOST), cand(LO.withPort(5002), CandidateType.HOST));
        assertThat(PathMtu.maxUdpPayload(lo, List.of(LAN, LO), PathMtuTest::mtu)).isEqualTo(65_535 - 20 - 8);
    }

    @Test
    void otherLocalTypesTakeTheSmallestBoundInterfaceAndRelaysLeaveRoomForTurn() {
        CandidatePair srflx = new CandidatePair(cand(PUBLIC, CandidateType.SERVER_REFLEXIVE), cand(PEER4, CandidateType.HOST));
        assertThat(PathMtu.maxUdpPayload(srflx, List.of(LAN, LO), PathMtuTest::mtu)).isEqualTo(1500 - 28);
        CandidatePair relay = new CandidatePair(cand(PUBLIC, CandidateType.RELAYED), cand(PEER4, CandidateType.HOST));
        assertThat(PathMtu.maxUdpPayload(relay, List.of(LAN), PathMtuTest::mtu))
                .isEqualTo(1500 - 28 - PathMtu.TURN_OVERHEAD);
        assertThat(PathMtu.maxUdpPayload(srflx, List.of(), PathMtuTest::mtu)).isEqualTo(-1);
    }
}
