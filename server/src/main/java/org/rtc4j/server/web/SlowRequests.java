package org.rtc4j.server.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP connection whose request takes longer than a deadline from its first byte to its answer
 * (slowloris). Jetty's idle timeout starts again at every byte, so a client sending one header byte every 29
 * seconds would hold a connection for days; here the clock runs from the request's first byte, whatever
 * follows. A new connection's clock runs from its opening, so a TLS handshake cannot be dragged out either;
 * between requests only the idle timeout applies. Upgraded connections (WebSocket) are not HTTP connections
 * any more and leave this count: the signaling hub bounds them.
 */
final class SlowRequests implements Connection.Listener {
    /** How often connections are looked at: the deadline is kept to within this. */
    private static final long SWEEP_MILLIS = 500;

    private final long deadlineNanos;
    private final Map<AbstractMetaDataConnection, Progress> open = new ConcurrentHashMap<>();
    private final LongAdder closed = new LongAdder();
    private volatile boolean running = true;

    /** Where a connection was at the last look: answers sent, bytes read then, and since when a request waits. */
    private static final class Progress {
        long answered;
        long bytesInAtAnswer;
        /** When the request now under way began (nanoTime), or -1 when none is. */
        long since;

        Progress(long now) {
            since = now;
        }
    }

    SlowRequests(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof AbstractMetaDataConnection http) {
            open.put(http, new Progress(System.nanoTime()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof AbstractMetaDataConnection http) {
            open.remove(http);
        }
    }

    /** Starts looking at the connections on {@code scheduler}, until {@link #stop()}. */
    void start(Scheduler scheduler) {
        try {
            scheduler.schedule(() -> {
                if (running) {
                    sweep(System.nanoTime());
                    start(scheduler);
                }
            }, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: nothing left to look at
        }
    }

    void stop() {
        running = false;
    }

    /** Connections closed for a request over the deadline. */
    long closed() {
        return closed.sum();
    }

    void sweep(long now) {
        for (Map.Entry<AbstractMetaDataConnection, Progress> e : open.entrySet()) {
            AbstractMetaDataConnection c = e.getKey();
            Progress p = e.getValue();
            long answered = c.getMessagesOut();
            long bytesIn = c.getBytesIn();
            if (answered != p.answered) {
                p.answered = answered;
                p.bytesInAtAnswer = bytesIn;
                p.since = -1;
            } else if (p.since < 0 && bytesIn > p.bytesInAtAnswer) {
                p.since = now; // the next request began (within a sweep of its first byte)
            }
            if (p.since >= 0 && now - p.since > deadlineNanos) {
                open.remove(c);
                closed.increment();
                c.getEndPoint().close();
            }
        }
    }
}
