package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

class IceCandidateTest {

    @Test
    void parsesChromiumHostCandidateAndWritesItBack() {
        String line = "candidate:3288183389 1 udp 2122260223 127.0.0.1 54321 typ host generation 0 ufrag Ab12"
                + " network-id 1";
        IceCandidate c = IceCandidate.parse("a=" + line + "\r\n");
        assertThat(c.foundation()).isEqualTo("3288183389");
        assertThat(c.component()).isEqualTo(1);
        assertThat(c.transport()).isEqualTo(Transport.UDP);
        assertThat(c.priority()).isEqualTo(2122260223L);
        assertThat(c.transportAddress()).isEqualTo(TransportAddress.parse(Transport.UDP, "127.0.0.1:54321"));
        assertThat(c.type()).isEqualTo(CandidateType.HOST);
        assertThat(c.extension("ufrag")).isEqualTo("Ab12");
        assertThat(c.extensions()).containsExactly(Map.entry("generation", "0"), Map.entry("ufrag", "Ab12"),
                Map.entry("network-id", "1"));
        assertThat(c.toSdp()).isEqualTo(line);
    }

    @Test
    void parsesTcpActiveCandidate() {
        IceCandidate c = IceCandidate.parse("candidate:1 1 TCP 1518280447 127.0.0.1 9 typ host tcptype active generation 0");
        assertThat(c.transport()).isEqualTo(Transport.TCP);
        assertThat(c.tcpType()).isEqualTo(TcpType.ACTIVE);
        assertThat(c.port()).isEqualTo(9);
        assertThat(c.toSdp()).isEqualTo("candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0");
    }

    @Test
    void parsesReflexiveWithRelatedAddressAndIpv6() {
        IceCandidate c = IceCandidate.parse(
                "candidate:842163049 1 udp 1677729535 2001:db8::5 61665 typ srflx raddr 10.0.1.1 rport 8998");
        assertThat(c.type()).isEqualTo(CandidateType.SERVER_REFLEXIVE);
        assertThat(c.ip().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(c.relatedAddress()).isEqualTo("10.0.1.1");
        assertThat(c.relatedPort()).isEqualTo(8998);
        assertThat(c.toSdp()).contains("raddr 10.0.1.1 rport 8998");
    }

    @Test
    void keepsMdnsNameUnresolved() {
        IceCandidate c = IceCandidate.parse(
                "candidate:1 1 udp 2113937151 3d4c5e9a-0b1c-4d2e-8f90-123456789abc.local 50000 typ host");
        assertThat(c.ip()).isNull();
        assertThat(c.isMdns()).isTrue();
        assertThat(c.transportAddress()).isNull();
        assertThat(c.address()).endsWith(".local");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "candidate:",
        "candidat:1 1 udp 1 1.2.3.4 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 5 typ",
        "candidate:1 0 udp 1 1.2.3.4 5 typ host",
        "candidate:1 1 sctp 1 1.2.3.4 5 typ host",
        "candidate:1 1 udp 0 1.2.3.4 5 typ host",
        "candidate:1 1 udp 99999999999 1.2.3.4 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 70000 typ host",
        "candidate:1 1 udp 1 1.2.3.999 5 typ host",
        "candidate:1 1 udp 1 1.2.3.4 5 typo host",
        "candidate:1 1 udp 1 1.2.3.4 5 typ nope",
        "candidate:1 1 udp 1 1.2.3.4 5 typ host generation",
        "candidate:1 1 tcp 1 1.2.3.4 5 typ host tcptype sideways",
        "candidate:f@o 1 udp 1 1.2.3.4 5 typ host",
        "candidate:1 1 udp 1 bad_host!.local 5 typ host",
        "candidate:1  1 udp 1 1.2.3.4 5 typ host",
    })
    void refusesMalformedLinesWithAReason(String line) {
        assertThatThrownBy(() -> IceCandidate.parse(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void prioritiesFollowRfc8445() {
        // RFC 8445 5.1.2.1 with the recommended type preferences, local preference 65535, component 1.
        assertThat(IcePriority.candidate(126, 65535, 1)).isEqualTo(2130706431L);
        assertThat(IcePriority.candidate(100, 65535, 1)).isEqualTo(1694498815L);
        assertThat(IcePriority.candidate(0, 65535, 1)).isEqualTo(16777215L);
        // Pair priority, 6.1.2.3: the controlling side's candidate breaks the tie.
        assertThat(IcePriority.pair(10, 20)).isEqualTo((10L << 32) + 40);
        assertThat(IcePriority.pair(20, 10)).isEqualTo((10L << 32) + 41);
        assertThat(IcePriority.pair(0xFFFF_FFFFL, 0xFFFF_FFFFL)).isPositive();
        // IPv6 ahead of IPv4, earlier interfaces ahead of later ones, UDP relays ahead of TCP ones.
        assertThat(IcePriority.localPreference(0, true, 0)).isGreaterThan(IcePriority.localPreference(0, false, 0));
        assertThat(IcePriority.localPreference(0, false, 0)).isGreaterThan(IcePriority.localPreference(1, true, 0));
        assertThat(IcePriority.localPreference(0, false, 0)).isGreaterThan(IcePriority.localPreference(0, false, 1));
    }

    @Test
    void serverUrlsFollowRfc7064And7065() {
        IceServerUrl stun = IceServerUrl.parse("stun:127.0.0.1");
        assertThat(stun.scheme()).isEqualTo(IceServerUrl.Scheme.STUN);
        assertThat(stun.port()).isEqualTo(3478);
        assertThat(stun.literalAddress()).isEqualTo(TransportAddress.parse(Transport.UDP, "127.0.0.1:3478"));

        IceServerUrl turnTcp = IceServerUrl.parse("turn:[::1]:3479?transport=tcp");
        assertThat(turnTcp.host()).isEqualTo("::1");
        assertThat(turnTcp.transport()).isEqualTo(Transport.TCP);
        assertThat(turnTcp.literalAddress().port()).isEqualTo(3479);
        assertThat(turnTcp.toString()).isEqualTo("turn:[::1]:3479?transport=tcp");

        IceServerUrl turns = IceServerUrl.parse("turns:turn.example.org");
        assertThat(turns.scheme().isSecure()).isTrue();
        assertThat(turns.port()).isEqualTo(5349);
        assertThat(turns.transport()).isEqualTo(Transport.TCP);
        assertThat(turns.literalAddress()).isNull();

        for (String bad : new String[] {"http://x", "stun:", "stun://h", "stun:h?transport=udp", "turn:h:0",
            "turn:h:99999", "turn:h?transport=sctp", "turn:[::1", "stun:h:x", "turn:a b"}) {
            assertThatThrownBy(() -> IceServerUrl.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> IceServer.stun("turn:127.0.0.1")).hasMessageContaining("username");
        assertThat(IceServer.of("alice", "secret", "turn:127.0.0.1", "stun:127.0.0.1").urls()).hasSize(2);
    }
}
