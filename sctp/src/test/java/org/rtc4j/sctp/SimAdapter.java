package org.rtc4j.sctp;

import org.rtc4j.core.Clock;
import org.rtc4j.core.Engine;
import org.rtc4j.core.TransportAddress;

/** Opens {@link UdpOverSim} to tests in other packages. */
public final class SimAdapter {

    private SimAdapter() {
    }

    public static Engine<org.rtc4j.sctp.datachannel.DataChannelEvent> of(
            org.rtc4j.sctp.datachannel.DataChannels engine, Clock clock, TransportAddress local,
            TransportAddress remote) {
        return new UdpOverSim<>(PacketPath.of(engine), clock, local, remote);
    }
}
