package org.rtc4j.sctp;

import org.rtc4j.core.Clock;
import org.rtc4j.core.Engine;
import org.rtc4j.core.TransportAddress;

/** Opens {@link UdpOverSim} to tests in other packages. */
public final class SimAdapter {

    private SimAdapter() {
    }

    public static <E> Engine<E> of(PacketEngine<E> engine, Clock clock, TransportAddress local,
                                   TransportAddress remote) {
        return new UdpOverSim<>(engine, clock, local, remote);
    }
}
