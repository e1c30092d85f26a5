package org.rtc4j.internal;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rtc4j.core.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared NIO thread (DESIGN.md, the driver and threads): a selector for the sockets of the connections
 * pinned to it, their tasks, and their timers. A connection's serial executor is its loop: everything it does
 * runs here, one thing at a time, so its engines need no locks. A small fixed group of loops serves every
 * connection of the JVM; the threads are daemons and start with the first connection.
 */
public final class IoLoop implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
    private static IoLoop[] group;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final long BASE_NANOS = System.nanoTime();
    private static final Instant BASE = Instant.now();
    /** The loops' clock: monotonic (System.nanoTime) as an {@link Instant}, what the drivers give the engines. */
    public static final Clock CLOCK = () -> BASE.plusNanos(System.nanoTime() - BASE_NANOS);

    /** The time on {@link #CLOCK} at which {@link System#nanoTime()} reads {@code nanoTime}. */
    public static Instant atNanoTime(long nanoTime) {
        return BASE.plusNanos(nanoTime - BASE_NANOS);
    }

    /** A socket that became ready: readable (a TCP connection also connectable or writable, as registered). */
    @FunctionalInterface
    public interface ReadHandler {
        void readable(SelectionKey key);
    }

    /** Something with a deadline on this loop (a connection's engines). */
    public interface Timed {
        /** When {@link #onTimer} should run next on {@link #CLOCK}; {@code null} for never. */
        Instant deadline();

        void onTimer();
    }

    /** The loop whose thread this is, on the loops' own threads. */
    private static final ThreadLocal<IoLoop> CURRENT = new ThreadLocal<>();
    /** Guards {@link #waitingOn} of every loop: who waits for whom, to refuse a wait that closes a cycle. */
    private static final Object WAITS = new Object();

    private final Selector selector;
    private final Thread thread;
    /** The loop this one's thread is waiting for in {@link #call}, or null. */
    private IoLoop waitingOn;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Timed> timed = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    /**
     * Set while the loop blocks in select (or is about to): only then does a task from another thread need to
     * wake it. A loop that is awake sees the task before it blocks, so a burst of tasks costs one wake-up.
     */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final LongAdder wakeups = new LongAdder();
    private final Consumer<SelectionKey> onReady = this::ready;

    private IoLoop(int index) throws IOException {
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name("rtc4j-io-" + index).daemon().unstarted(this::run);
        thread.start();
    }

    /** The loop for a new connection: the least loaded of the shared group (started with {@code threads}). */
    public static synchronized IoLoop assign(int threads) {
        if (group == null) {
            group = new IoLoop[threads];
            for (int i = 0; i < threads; i++) {
                try {
                    group[i] = new IoLoop(i);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot open a selector: " + e.getMessage(), e);
                }
            }
        }
        IoLoop best = group[Math.floorMod(NEXT.getAndIncrement(), group.length)];
        for (IoLoop l : group) {
            if (l.connections.get() < best.connections.get()) {
                best = l;
            }
        }
        best.connections.incrementAndGet();
        return best;
    }

    /** Times a task from another thread woke the selector (a burst of tasks to a busy loop wakes it once). */
    public long wakeups() {
        return wakeups.sum();
    }

    /** A connection pinned to this loop is gone. */
    public void release() {
        connections.decrementAndGet();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Whether the caller runs on another loop (a callback of a connection pinned there): it must not wait for
     * this one, or two connections calling each other from their callbacks could wait for each other for ever.
     */
    public boolean onAnotherLoop() {
        IoLoop current = CURRENT.get();
        return current != null && current != this;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && sleeping.getAndSet(false)) {
            wakeups.increment();
            selector.wakeup();
        }
    }

    /**
     * Runs {@code action} on the loop and returns its result: inline when already there, else waiting for it
     * (its exception is rethrown as is).
     */
    public <T> T call(Supplier<T> action) {
        if (inLoop()) {
            return action.get();
        }
        IoLoop caller = CURRENT.get();
        if (caller == null) {
            return await(action);
        }
        // Another loop waits for this one: fine unless this one (or one it waits for) already waits for the
        // caller; then waiting would never end, and the call is refused instead. The calls a callback makes
        // most (a channel's send, close and state, a connection's close) never wait on another loop at all.
        synchronized (WAITS) {
            for (IoLoop l = this; l != null; l = l.waitingOn) {
                if (l == caller) {
                    throw new IllegalStateException("a synchronous call from " + caller.thread.getName()
                            + " into a connection on " + thread.getName() + ", which is waiting for the caller's "
                            + "loop, would never return: call it from another thread, or later");
                }
            }
            caller.waitingOn = this;
        }
        try {
            return await(action);
        } finally {
            synchronized (WAITS) {
                caller.waitingOn = null;
            }
        }
    }

    private <T> T await(Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(() -> {
            try {
                f.complete(action.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the connection's loop", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Registers a non-blocking channel for reading (on the loop). */
    public SelectionKey register(SelectableChannel channel, ReadHandler handler) throws IOException {
        return register(channel, SelectionKey.OP_READ, handler);
    }

    /**
     * Registers a non-blocking channel for {@code ops} (a TCP connection: connecting, then reading, and writing
     * while its socket buffer is full); the handler looks at the key to see which is ready (on the loop).
     */
    public SelectionKey register(SelectableChannel channel, int ops, ReadHandler handler) throws IOException {
        return channel.register(selector, ops, handler);
    }

    /** The key of a channel registered on this loop, or {@code null}. */
    public SelectionKey keyFor(SelectableChannel channel) {
        return channel.keyFor(selector);
    }

    /** Adds a timed object (on the loop). */
    public void addTimed(Timed t) {
        timed.add(t);
    }

    /** Removes a timed object (on the loop). */
    public void removeTimed(Timed t) {
        timed.remove(t);
    }

    private void run() {
        CURRENT.set(this);
        List<Timed> due = new ArrayList<>();
        try {
            while (true) {
                turn(due);
            }
        } catch (ClosedSelectorException e) {
            // closed: the thread ends
        }
    }

    /**
     * One turn of the loop: the queued tasks, the timers due, else one select. A method of its own, not the body
     * of {@link #run}'s endless loop: the JIT compiles it as any hot method, early and once, where a loop body
     * would be compiled on-stack (and recompiled) only after a long time running, with all it inlines.
     */
    private void turn(List<Timed> due) {
        try {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                runSafely(task);
            }
            Instant now = CLOCK.now();
            Instant next = null;
            for (Timed t : timed) {
                Instant d = t.deadline();
                if (d == null) {
                    continue;
                }
                if (!d.isAfter(now)) {
                    due.add(t);
                } else if (next == null || d.isBefore(next)) {
                    next = d;
                }
            }
            if (!due.isEmpty()) {
                for (Timed t : due) {
                    runSafely(t::onTimer);
                }
                due.clear();
                return;
            }
            // Announced before the queue is looked at: either execute() sees it and wakes the selector, or
            // this look sees its task (both are sequentially consistent).
            sleeping.set(true);
            // The ready keys go to onReady as the selector finds them (no selected-key set, no iterator).
            if (!tasks.isEmpty()) {
                selector.selectNow(onReady);
            } else if (next == null) {
                selector.select(onReady);
            } else {
                long ms = Math.max(1, (Duration.between(now, next).toNanos() + 999_999) / 1_000_000);
                selector.select(onReady, ms);
            }
            sleeping.set(false);
        } catch (ClosedSelectorException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.error("I/O loop error", e);
        }
    }

    /** A ready key to its handler (awake from here on: a task from another thread need not wake the selector). */
    private void ready(SelectionKey key) {
        sleeping.set(false);
        if (key.isValid() && key.attachment() instanceof ReadHandler h) {
            try {
                h.readable(key);
            } catch (Throwable e) {
                LOG.error("task failed on the I/O loop", e);
            }
        }
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            LOG.error("task failed on the I/O loop", e);
        }
    }
}
