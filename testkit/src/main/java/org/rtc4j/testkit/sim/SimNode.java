package org.rtc4j.testkit.sim;

/**
 * What a test can put at either end of a link: a host, a NAT, or an engine or endpoint (meaning the host it
 * is bound on).
 */
public sealed interface SimNode permits SimHost, Nat, SimEngine, SimEndpoint {

    String name();
}
