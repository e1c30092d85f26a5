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
    private static final int MAX_PENDING = 100_000;

    private final String name;
    private final IoLoop loop;
    private volatile Consumer<? super T> handler;
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private boolean warned;

    public EventSlot(String name, IoLoop loop) {
        this.name = name;
        this.loop = loop;
    }

    /** Sets (or with {@code null} clears) the handler; queued events are delivered to it on the loop. */
    public void set(Consumer<? super T> value) {
        handler = value;
        if (value != null) {
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
        if (pending.size() >= MAX_PENDING) {
            pending.poll();
            if (!warned) {
                warned = true;
                LOG.warn("no handler for {}: dropping the oldest queued events", name);
            }
        }
        pending.add(event);
        if (h != null) {
            drain();
        }
    }

    /** Forgets queued events (the object is closed and no handler will come). */
    public void clear() {
        pending.clear();
    }

    private void drain() {
        for (Consumer<? super T> h; (h = handler) != null && !pending.isEmpty(); ) {
            deliver(h, pending.poll());
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
