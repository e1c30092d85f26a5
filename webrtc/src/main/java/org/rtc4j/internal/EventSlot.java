package org.rtc4j.internal;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event of the API (onMessage, onIceCandidate, ...): its handler, and the events that came before a handler
 * was set, queued so that none is lost (DESIGN.md, what using it should feel like). Fired on the loop only;
 * the handler may be set from any thread, and queued events then follow on the loop in order.
 *
 * @param <T> the event
 */
public final class EventSlot<T> {

    private static final Logger LOG = LoggerFactory.getLogger(EventSlot.class);
    /** Events kept while no handler is set; older ones beyond it are dropped (and logged once). */
    private static final int MAX_PENDING = 10_000;
    /** Bytes of queued events kept (for messages: what the peer sent); older ones beyond it are dropped. */
    private static final long MAX_PENDING_BYTES = 64L << 20;

    private final String name;
    private final IoLoop loop;
    private volatile Consumer<? super T> handler;
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    /** pending's size, readable off the loop: set() wakes the loop only when something waits for the handler. */
    private volatile int pendingCount;
    private final java.util.function.ToLongFunction<? super T> weight;
    private long pendingBytes;
    private boolean warned;

    public EventSlot(String name, IoLoop loop) {
        this(name, loop, e -> 0);
    }

    /** A slot whose queued events are also bounded by their size in bytes ({@code weight}). */
    public EventSlot(String name, IoLoop loop, java.util.function.ToLongFunction<? super T> weight) {
        this.name = name;
        this.loop = loop;
        this.weight = weight;
    }

    /** Sets (or with {@code null} clears) the handler; queued events are delivered to it on the loop. */
    public void set(Consumer<? super T> value) {
        handler = value;
        // Either this read sees an event fire() queued, or fire() sees the handler after queueing (both
        // fields are volatile): no event is left behind, and a set with nothing queued costs no wake-up.
        if (value != null && pendingCount > 0) {
            loop.execute(this::drain);
        }
    }

    public boolean hasHandler() {
        return handler != null;
    }

    /** Delivers or queues one event (on the loop). */
    public void fire(T event) {
        Consumer<? super T> h = handler;
        if (h != null && pending.isEmpty()) {
            deliver(h, event);
            return;
        }
        long w = weight.applyAsLong(event);
        while (!pending.isEmpty() && (pending.size() >= MAX_PENDING || pendingBytes + w > MAX_PENDING_BYTES)) {
            pendingBytes -= weight.applyAsLong(pending.poll());
            if (!warned) {
                warned = true;
                LOG.warn("no handler for {}: dropping the oldest queued events", name);
            }
        }
        pending.add(event);
        pendingCount = pending.size();
        pendingBytes += w;
        if (handler != null) {
            drain();
        }
    }

    /** Forgets queued events (the object is closed and no handler will come). */
    public void clear() {
        pending.clear();
        pendingCount = 0;
        pendingBytes = 0;
    }

    private void drain() {
        for (Consumer<? super T> h; (h = handler) != null && !pending.isEmpty(); ) {
            T e = pending.poll();
            pendingCount = pending.size();
            pendingBytes -= weight.applyAsLong(e);
            deliver(h, e);
        }
    }

    private void deliver(Consumer<? super T> h, T event) {
        try {
            h.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("the {} handler threw", name, e);
        }
    }
}
