package org.rtc4j.testkit.sim;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;

/**
 * A sans-IO engine attached to the simulation. The network hands it datagrams and serves its timeouts at
 * their simulated times; after every call it sends what the engine transmits, collects its events (see
 * {@link #events()}, {@link #onEvent}) and schedules its next timeout. A test may call the engine's own
 * methods between runs, or from a listener: the network notices and drains it.
 */
public final class SimEngine<E> implements SimNode {

    private final SimNetwork net;
    private final SimHost host;
    private final Engine<E> engine;
    private final List<TransportAddress> addresses;
    private final List<Timed<E>> events = new ArrayList<>();
    private final List<BiConsumer<Instant, E>> listeners = new ArrayList<>();
    private long timerGeneration;
    private long timerAt = -1;
    private long inputs;
    private long timeouts;

    SimEngine(SimNetwork net, SimHost host, Engine<E> engine, List<TransportAddress> addresses) {
        this.net = net;
        this.host = host;
        this.engine = engine;
        this.addresses = List.copyOf(addresses);
    }

    @Override
    public String name() {
        return addresses.get(0).toString();
    }

    public Engine<E> engine() {
        return engine;
    }

    public SimHost host() {
        return host;
    }

    public List<TransportAddress> addresses() {
        return addresses;
    }

    /** The first address the engine is bound to. */
    public TransportAddress address() {
        return addresses.get(0);
    }

    /** Every event the engine emitted so far, oldest first. */
    public List<E> events() {
        return events.stream().map(Timed::value).toList();
    }

    /** Every event with the simulated time it was emitted at. */
    public List<Timed<E>> timedEvents() {
        return Collections.unmodifiableList(events);
    }

    /** Returns the events so far and forgets them. */
    public List<E> takeEvents() {
        List<E> taken = events();
        events.clear();
        return taken;
    }

    /** Whether an event matching {@code test} was emitted (and not taken). */
    public boolean hasEvent(java.util.function.Predicate<? super E> test) {
        for (Timed<E> t : events) {
            if (test.test(t.value())) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code listener} for each event as it is emitted (events are still collected). */
    public SimEngine<E> onEvent(Consumer<? super E> listener) {
        listeners.add((time, e) -> listener.accept(e));
        return this;
    }

    public SimEngine<E> onEvent(BiConsumer<Instant, ? super E> listener) {
        listeners.add(listener::accept);
        return this;
    }

    /** Datagrams handed to the engine so far. */
    public long inputs() {
        return inputs;
    }

    /** Timeouts served so far. */
    public long timeouts() {
        return timeouts;
    }

    void deliver(Packet p) {
        net.trace(TraceKind.DELIVER, name(), p);
        inputs++;
        // The engine may keep nothing of the buffer, and copies share bytes: give it its own.
        engine.handleInput(net.now(), p.source(), p.destination(), ByteBuffer.wrap(p.data().clone()));
        drain();
    }

    private void timeout(long generation) {
        if (generation != timerGeneration) {
            return; // superseded by a later pollTimeout
        }
        timerAt = -1;
        timeouts++;
        net.traceNote(TraceKind.TIMEOUT, name());
        engine.handleTimeout(net.now());
        drain();
    }

    /** Sends, collects and reschedules until the engine has nothing more; true when it had anything. */
    boolean drain() {
        boolean any = false;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Transmit t; (t = engine.pollTransmit()) != null; ) {
                progress = true;
                if (!host.owns(t.source().ip())) {
                    // A real socket cannot send from an address its host lacks: this is the engine's bug.
                    throw new IllegalStateException(engine.getClass().getSimpleName() + " sent from " + t.source()
                            + ", which is not an address of host " + host.name() + " " + host.ips());
                }
                ByteBuffer payload = t.payload();
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                host.send(t.source(), t.destination(), bytes);
            }
            for (E e; (e = engine.pollEvent()) != null; ) {
                progress = true;
                Instant now = net.now();
                events.add(new Timed<>(now, e));
                for (BiConsumer<Instant, E> listener : List.copyOf(listeners)) {
                    net.userCodeRan();
                    listener.accept(now, e);
                }
            }
            any |= progress;
        }
        Instant next = engine.pollTimeout();
        if (next == null) {
            if (timerAt != -1) {
                timerGeneration++;
                timerAt = -1;
            }
        } else {
            long at = Math.max(net.clock().toNanos(next), net.clock().nanos());
            if (at != timerAt) {
                long generation = ++timerGeneration;
                timerAt = at;
                net.scheduleTimer(at, () -> timeout(generation));
            }
        }
        return any;
    }

    @Override
    public String toString() {
        return "SimEngine[" + engine.getClass().getSimpleName() + " at " + addresses + "]";
    }
}
