package org.rtc4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class TransportAddressTest {

    @Test
    void parsesIpv4AndIpv6() {
        TransportAddress v4 = TransportAddress.parse(Transport.UDP, "127.0.0.1:3478");
        assertThat(v4.port()).isEqualTo(3478);
        assertThat(v4.isIpv6()).isFalse();
        assertThat(v4).hasToString("127.0.0.1:3478/udp");

        TransportAddress v6 = TransportAddress.parse(Transport.TCP, "[::1]:443");
        assertThat(v6.isIpv6()).isTrue();
        assertThat(v6).hasToString("[0:0:0:0:0:0:0:1]:443/tcp");
        assertThat(v6.socketAddress()).isEqualTo(new InetSocketAddress("::1", 443));
    }

    @Test
    void equalityCoversTransport() {
        TransportAddress udp = TransportAddress.parse(Transport.UDP, "10.0.0.1:1");
        assertThat(udp).isEqualTo(TransportAddress.parse(Transport.UDP, "10.0.0.1:1"));
        assertThat(udp).isNotEqualTo(TransportAddress.parse(Transport.TCP, "10.0.0.1:1"));
        assertThat(udp.withPort(2).port()).isEqualTo(2);
    }

    @Test
    void refusesHostNamesAndBadPorts() {
        assertThatThrownBy(() -> TransportAddress.parse(Transport.UDP, "example.com:80"))
                .hasMessageContaining("not a literal IP address");
        assertThatThrownBy(() -> TransportAddress.parse(Transport.UDP, "1.2.3:80"))
                .hasMessageContaining("not a literal IP address");
        assertThatThrownBy(() -> TransportAddress.parse(Transport.UDP, "1.2.3.4:65536"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> TransportAddress.parse(Transport.UDP, "1.2.3.4"))
                .hasMessageContaining("expected");
        assertThatThrownBy(() -> TransportAddress.parse(Transport.UDP, "::1:80"))
                .hasMessageContaining("expected");
        assertThatThrownBy(() -> TransportAddress.parse(Transport.UDP, "[::1]"))
                .hasMessageContaining("expected");
        assertThatThrownBy(() -> TransportAddress.parse(Transport.UDP, "1.2.3.4:x"))
                .hasMessageContaining("bad port");
    }
}
