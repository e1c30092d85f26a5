package org.rtc4j.testkit.pump;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.sim.Timed;

/**
 * One engine in an {@link EnginePump}, bound to one local address: its events (collected and handed to
 * listeners), and what a test may do to it on the way: hold its events (an application that does not read),
 * drop datagrams it sends or receives, record what it sends, replace it (a peer that restarts).
 *
 * <p>An engine that leaves the addresses to the path below it (SCTP over DTLS, RFC 8261) sends from and to
 * the unspecified address {@code 0.0.0.0:0}: such a datagram leaves from this address to the peer set with
 * {@link #sendTo}, or else to where the latest datagram came from.
 *
 * <p>Before it asks the engine for output, the pump gives it the time with {@link Engine#handleTimeout} when
 * the clock has moved since the engine last heard it (test code may have queued data in between: what
 * leaves is stamped with the time it leaves; calling it early is harmless by the engine contract).
 */
public final class Pumped<E> {

    private static final TransportAddress UNSPECIFIED = TransportAddress.udp(
            TransportAddress.parseIp("0.0.0.0"), 0);

    private final EnginePump pump;
    private final TransportAddress address;
    private Engine<E> engine;
    private TransportAddress peer;
    private TransportAddress lastSource;
    private Instant lastTime;
    private final List<E> events = new ArrayList<>();
    private final List<Consumer<? super E>> listeners = new ArrayList<>();
    private boolean keepEvents = true;
    private boolean held;
    private Predicate<byte[]> dropOut;
    private Predicate<byte[]> dropIn;
    private boolean recording;
    private final List<Timed<byte[]>> sent = new ArrayList<>();
    private Runnable beforePoll = () -> { };
    private long transmitted;
    private long dropped;
    final Engine<E> adapter = new Adapter();

    Pumped(EnginePump pump, Engine<E> engine, TransportAddress address) {
        this.pump = pump;
        this.engine = Objects.requireNonNull(engine, "engine");
        this.address = address;
    }

    public Engine<E> engine() {
        return engine;
    }

    /** The local address it is bound to (with the port the system chose, on real sockets). */
    public TransportAddress address() {
        return address;
    }

    /** Where its unaddressed datagrams go (a point-to-point path, as SCTP over one DTLS association). */
    public Pumped<E> sendTo(TransportAddress remote) {
        this.peer = remote;
        return this;
    }

    public Pumped<E> sendTo(Pumped<?> other) {
        return sendTo(other.address());
    }

    /** A peer that restarts: from now on {@code replacement} runs at this address. */
    public void replace(Engine<E> replacement) {
        engine = Objects.requireNonNull(replacement, "replacement");
        lastTime = null;
    }

    /** Every event so far (unless {@link #keepEvents keepEvents(false)}), oldest first. */
    public List<E> events() {
        return events;
    }

    /** The events so far, of one type. */
    public <T> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public boolean hasEvent(Predicate<? super E> test) {
        return events.stream().anyMatch(test);
    }

    /** Calls {@code listener} with each event as it is taken from the engine. */
    public Pumped<E> onEvent(Consumer<? super E> listener) {
        listeners.add(listener);
        return this;
    }

    /** Whether events are kept for {@link #events()}; off for long transfers whose listeners count them. */
    public Pumped<E> keepEvents(boolean keep) {
        keepEvents = keep;
        return this;
    }

    /** While held, events stay in the engine, as with an application that does not read. */
    public Pumped<E> holdEvents(boolean hold) {
        held = hold;
        return this;
    }

    /** Drops each datagram it sends that {@code drop} accepts (a loss the test chooses), or none for null. */
    public Pumped<E> dropSent(Predicate<byte[]> drop) {
        dropOut = drop;
        return this;
    }

    /** Drops each datagram for it that {@code drop} accepts before the engine sees it, or none for null. */
    public Pumped<E> dropReceived(Predicate<byte[]> drop) {
        dropIn = drop;
        return this;
    }

    /** Records what it sends ({@link #sent()}), dropped datagrams included. */
    public Pumped<E> record(boolean on) {
        recording = on;
        return this;
    }

    /** What it sent while recording, with the time each left. */
    public List<Timed<byte[]>> sent() {
        return sent;
    }

    /** Runs before each request for output: a sender refills its queue here. */
    public Pumped<E> beforePoll(Runnable action) {
        beforePoll = Objects.requireNonNull(action, "action");
        return this;
    }

    /** Datagrams handed to the network so far (not counting dropped ones). */
    public long transmitted() {
        return transmitted;
    }

    /** Datagrams dropped by {@link #dropSent} or {@link #dropReceived}. */
    public long dropped() {
        return dropped;
    }

    /** Hands queued events to the listeners; false when there were none (or they are held). */
    private boolean dispatchEvents() {
        if (held) {
            return false;
        }
        boolean any = false;
        for (E e; (e = engine.pollEvent()) != null; ) {
            any = true;
            if (keepEvents) {
                events.add(e);
            }
            for (Consumer<? super E> listener : List.copyOf(listeners)) {
                listener.accept(e);
            }
        }
        return any;
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return bytes;
    }

    /**
     * The engine as the network sees it. Events are handed out inside {@link #pollTransmit}, so that what a
     * listener sends in answer leaves in the same drain; the network itself sees no events.
     */
    private final class Adapter implements Engine<E> {

        @Override
        public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
            lastTime = now;
            if (dropIn != null && dropIn.test(copy(data))) {
                dropped++;
                return;
            }
            lastSource = source;
            engine.handleInput(now, source, destination, data);
        }

        @Override
        public void handleTimeout(Instant now) {
            lastTime = now;
            engine.handleTimeout(now);
        }

        @Override
        public Transmit pollTransmit() {
            Instant now = pump.now();
            if (lastTime == null || now.isAfter(lastTime)) {
                lastTime = now;
                engine.handleTimeout(now);
            }
            while (true) {
                beforePoll.run();
                Transmit t = engine.pollTransmit();
                if (t == null) {
                    if (dispatchEvents()) {
                        continue;
                    }
                    return null;
                }
                if (t.source().equals(UNSPECIFIED) || t.destination().equals(UNSPECIFIED)) {
                    TransportAddress to = peer != null ? peer : lastSource;
                    if (to == null) {
                        throw new IllegalStateException("unaddressed datagram from " + address
                                + " and no peer: call sendTo");
                    }
                    t = new Transmit(address, to, t.payload());
                }
                if (recording || dropOut != null) {
                    byte[] bytes = copy(t.payload());
                    if (recording) {
                        sent.add(new Timed<>(now, bytes));
                    }
                    if (dropOut != null && dropOut.test(bytes)) {
                        dropped++;
                        continue;
                    }
                }
                transmitted++;
                return t;
            }
        }

        @Override
        public E pollEvent() {
            return null; // handed out in pollTransmit, which the network calls first
        }

        @Override
        public Instant pollTimeout() {
            return engine.pollTimeout();
        }
    }
}
