package org.rtc4j.sctp;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.function.Consumer;
import org.rtc4j.core.Clock;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;

/**
 * Puts a packet engine on the test kit's simulated network: its packets travel as UDP datagrams between
 * two fixed addresses (as SCTP over DTLS travels over one ICE pair). The clock is the simulation's, so
 * packets leave stamped with the simulated time.
 */
final class UdpOverSim<E> implements Engine<E> {

    private final PacketPath<E> inner;
    private final Clock clock;
    private final TransportAddress local;
    private final TransportAddress remote;
    private final ByteBuffer buf = ByteBuffer.allocate(65536);
    /** Runs before each poll for output: a sender refills its queue here. */
    Runnable beforePoll = () -> { };
    /** When set, events go here instead of to the simulation (which keeps every event it sees). */
    Consumer<E> consumer;

    UdpOverSim(PacketPath<E> inner, Clock clock, TransportAddress local, TransportAddress remote) {
        this.inner = inner;
        this.clock = clock;
        this.local = local;
        this.remote = remote;
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        inner.handlePacket(now, data);
    }

    @Override
    public void handleTimeout(Instant now) {
        inner.handleTimeout(now);
    }

    @Override
    public Transmit pollTransmit() {
        beforePoll.run();
        int n = inner.pollPacket(clock.now(), buf.clear());
        if (n == 0) {
            return null;
        }
        byte[] copy = new byte[n];
        buf.flip().get(copy);
        return new Transmit(local, remote, ByteBuffer.wrap(copy));
    }

    @Override
    public E pollEvent() {
        E e = inner.pollEvent();
        if (consumer == null) {
            return e;
        }
        while (e != null) {
            consumer.accept(e);
            e = inner.pollEvent();
        }
        return null;
    }

    @Override
    public Instant pollTimeout() {
        return inner.pollTimeout();
    }
}
