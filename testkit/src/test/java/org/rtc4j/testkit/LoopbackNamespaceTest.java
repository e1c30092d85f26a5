package org.rtc4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Proves that the test JVM sees loopback and nothing else. */
class LoopbackNamespaceTest {

    @Test
    void onlyLoopbackExists() throws Exception {
        LoopbackNamespace.require();
        assertThat(LoopbackNamespace.interfaceNames()).containsExactly("lo");
        NetworkInterface lo = NetworkInterface.getByName("lo");
        assertThat(lo.isUp()).isTrue();
        assertThat(Collections.list(lo.getInetAddresses()))
                .allSatisfy(address -> assertThat(address.isLoopbackAddress()).isTrue());

        // Asking for a route is enough: connect() on UDP sends nothing, and with no route it fails.
        try (DatagramChannel channel = DatagramChannel.open()) {
            assertThatThrownBy(() -> channel.connect(new InetSocketAddress("192.0.2.1", 9)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("unreachable");
        }
    }

    @Test
    void loopbackCarriesDatagrams() throws Exception {
        LoopbackNamespace.require();
        try (DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            a.send(ByteBuffer.wrap(new byte[] {42}), b.getLocalAddress());
            ByteBuffer got = ByteBuffer.allocate(4);
            assertThat(b.receive(got)).isEqualTo(a.getLocalAddress());
            assertThat(got.flip().get()).isEqualTo((byte) 42);
        }
    }
}
