package org.rtc4j.testkit.pump;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.rtc4j.core.Engine;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.sim.SimNetwork;

/**
 * The one test pump: drives two or more {@link Engine}s, either on a {@link SimNetwork} (virtual clock,
 * seeded loss, delay, NATs; see {@link SimPump}) or over real UDP sockets on loopback with the wall clock
 * ({@link LoopbackPump}), with one step, {@link #progress()}, as str0m's tests do. A test adds engines, acts
 * on them between steps, and runs until what it waits for holds:
 *
 * <pre>{@code
 * SimPump pump = EnginePump.simulated(new SimNetwork(7));
 * Pumped<SctpEvent> a = pump.add(new SctpAssociation(s1), TransportAddress.parse(UDP, "10.0.0.1:5000"));
 * Pumped<SctpEvent> b = pump.add(new SctpAssociation(s2), TransportAddress.parse(UDP, "10.0.0.2:5000"));
 * a.sendTo(b);
 * b.sendTo(a);
 * pump.link(a, b, LinkConfig.builder().delayMillis(10).loss(0.05).build());
 * ((SctpAssociation) a.engine()).connect(pump.now());
 * pump.runUntil(() -> b.hasEvent(e -> e instanceof SctpEvent.Connected), Duration.ofSeconds(10));
 * }</pre>
 *
 * Not thread-safe: one test thread drives it.
 */
public abstract sealed class EnginePump implements AutoCloseable permits SimPump, LoopbackPump {

    /** A pump on {@code network}'s virtual clock. */
    public static SimPump simulated(SimNetwork network) {
        return new SimPump(network);
    }

    /** A pump over real UDP sockets on loopback, on the wall clock. */
    public static LoopbackPump loopback() throws IOException {
        return new LoopbackPump();
    }

    /**
     * Binds an engine to {@code address}: on the simulated network, any address (the host is made when
     * needed); on loopback, a loopback address, port 0 for one the system picks.
     */
    public abstract <E> Pumped<E> add(Engine<E> engine, TransportAddress address);

    /**
     * Two engines of one point-to-point path, as SCTP over one DTLS association: each sends what it leaves
     * unaddressed to the other. On the simulated network they sit at 10.0.0.1:5000 and 10.0.0.2:5000, joined
     * by an ideal link until configured; on loopback at ports the system picks.
     */
    public <E> Pair<E> pair(Engine<E> a, Engine<E> b) {
        Pumped<E> pa = add(a, pairAddress(0));
        Pumped<E> pb = add(b, pairAddress(1));
        pa.sendTo(pb);
        pb.sendTo(pa);
        return new Pair<>(pa, pb);
    }

    /** Where side 0 or 1 of a {@link #pair} is bound. */
    abstract TransportAddress pairAddress(int side);

    /** Two engines that talk to each other: side 0 and side 1. */
    public record Pair<E>(Pumped<E> a, Pumped<E> b) {

        public Pumped<E> side(int i) {
            return i == 0 ? a : b;
        }
    }

    /** The pump's clock: what engines are given as {@code now}. */
    public abstract Instant now();

    /**
     * One step: the next thing that happens (a datagram arrives, a timeout is due) happens, and every engine
     * then sends what it has and hands out its events. On the simulated network the clock jumps to that
     * moment; on loopback the step waits for it, at most a few milliseconds. Returns false when nothing is
     * left that could happen (the simulated network is idle).
     */
    public abstract boolean progress();

    /** Steps until {@code done} holds or {@code limit} of the pump's time has passed; returns whether it holds. */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        Instant end = now().plus(limit);
        while (!done.getAsBoolean()) {
            if (!now().isBefore(end) || !progress()) {
                return done.getAsBoolean();
            }
        }
        return true;
    }

    /** Steps for {@code duration} of the pump's time. */
    public void runFor(Duration duration) {
        runUntil(() -> false, duration);
    }

    @Override
    public void close() {
    }
}
