package org.rtc4j.media.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a real-time source owns: calls {@link Tick#run} at the times it asks for, on the monotonic
 * clock in microseconds. Started with the source's first track and shut down (the thread ends) when the source
 * stops; a tick that throws stops the ticker. The sources' logic stays sans-IO behind {@link Tick}.
 */
public final class Ticker {

    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

    /** One step of a source: does what is due at {@code nowMicros}, returns when to run next. */
    @FunctionalInterface
    public interface Tick {
        /** @return the monotonic time in microseconds of the next run, or {@link Long#MAX_VALUE} to stop */
        long run(long nowMicros) throws Exception;
    }

    private final String name;
    private final Tick tick;
    private ScheduledExecutorService executor;

    public Ticker(String name, Tick tick) {
        this.name = name;
        this.tick = tick;
    }

    /** The monotonic clock the ticker uses. */
    public static long nowMicros() {
        return System.nanoTime() / 1_000;
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::step);
    }

    private void step() {
        long next;
        try {
            next = tick.run(nowMicros());
        } catch (Exception e) {
            LOG.warn("{} stopped: {}", name, e.toString());
            stop();
            return;
        }
        synchronized (this) {
            if (next != Long.MAX_VALUE && executor != null && !executor.isShutdown()) {
                executor.schedule(this::step, Math.max(0, next - nowMicros()), TimeUnit.MICROSECONDS);
            }
        }
    }

    /** Shuts the thread down; a tick running now finishes, none runs after. Safe from within a tick. */
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** True while the thread may still run ticks (for tests: false soon after {@link #stop()}). */
    public synchronized boolean isRunning() {
        return executor != null && !executor.isTerminated();
    }
}
