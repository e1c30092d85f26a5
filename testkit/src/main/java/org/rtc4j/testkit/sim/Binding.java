package org.rtc4j.testkit.sim;

/** What sits on a host's address: an engine or an endpoint, as the host sees it. */
@FunctionalInterface
interface Binding {

    void deliver(Packet packet);
}
