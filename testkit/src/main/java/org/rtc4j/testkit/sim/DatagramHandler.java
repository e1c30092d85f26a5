package org.rtc4j.testkit.sim;

/** The code behind a callback endpoint: called at the simulated time each datagram arrives. */
@FunctionalInterface
public interface DatagramHandler {

    /** {@code endpoint} may {@link SimEndpoint#send send} from here. */
    void receive(SimEndpoint endpoint, Datagram datagram);
}
