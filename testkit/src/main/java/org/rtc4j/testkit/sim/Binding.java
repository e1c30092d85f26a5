package org.rtc4j.testkit.sim;

/** What sits on a host's address: an engine or an endpoint. */
sealed interface Binding permits SimEngine, SimEndpoint {

    void deliver(Packet packet);
}
