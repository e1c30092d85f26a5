package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.rtc4j.testkit.LoopbackNamespace;

/** Which addresses the driver binds (the connection's host candidates), by the settings' interface filter. */
class PeerDriverTest {

    @Test
    void hostAddressesFollowTheInterfaceFilter() throws Exception {
        LoopbackNamespace.require();
        // The namespace has loopback only: nothing without loopback, 127.0.0.1 (and ::1 with IPv6) with it.
        assertThat(PeerDriver.hostAddresses(nif -> true, false, true)).isEmpty();
        assertThat(PeerDriver.hostAddresses(nif -> true, true, false)).containsExactly(InetAddress.getLoopbackAddress());
        assertThat(PeerDriver.hostAddresses(nif -> true, true, true)).contains(InetAddress.getLoopbackAddress());
        assertThat(PeerDriver.hostAddresses(nif -> !nif.getName().equals("lo"), true, true)).isEmpty();
    }
}
