package org.rtc4j.ice;

import org.rtc4j.core.Engine;
import org.rtc4j.core.TransportAddress;

/** Opens the test relay to tests in other packages (the TURN client's). */
public final class TestTurnServerAccess {

    private final TestTurnServer server;

    public TestTurnServerAccess(TransportAddress address) {
        this.server = new TestTurnServer(address, "alice", "secret");
    }

    public Engine<Void> engine() {
        return server;
    }

    public void staleNonce() {
        server.staleNonce();
    }

    public int liveAllocations() {
        return server.liveAllocations();
    }
}
