package org.rtc4j.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.media.FramePacer;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.TimedEncodedFrame;
import org.slf4j.LoggerFactory;

/**
 * Plays encoded frame readers into push sources in real time, one thread per reader (a slow encoder delays no
 * other stream), with the first frames pushed by {@link #start()} on the caller's thread: the media scenario
 * starts it in the connection's connected event, so the first key frame leaves without waiting for a thread to
 * start (a {@code PacedSource} starts its own). Frames keep their readers' timing ({@link FramePacer}: one
 * continuous timeline, across loops).
 */
final class MediaPump implements AutoCloseable {

    private record Lane(FrameReader reader, FramePacer pacer, PushSource source) {
    }

    private final List<Lane> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private boolean started;
    private volatile boolean stopped;

    /** Plays {@code reader} (looped if {@code loop}) into {@code source}; before {@link #start()}. */
    MediaPump add(FrameReader reader, boolean loop, PushSource source) {
        lanes.add(new Lane(reader, new FramePacer(reader, loop), source));
        return this;
    }

    /** Pushes what is due now (every reader's first frame) on this thread, then plays on, a thread per reader. */
    synchronized void start() {
        if (started || stopped) {
            return;
        }
        started = true;
        for (Lane l : lanes) {
            long next = pump(l);
            threads.add(Thread.ofPlatform().daemon().name("rtc4j-media-pump").start(() -> run(l, next)));
        }
    }

    private void run(Lane lane, long next) {
        try {
            while (!stopped && next != Long.MAX_VALUE) {
                long wait = next - System.nanoTime() / 1_000;
                if (wait > 0) {
                    Thread.sleep(wait / 1_000, (int) (wait % 1_000) * 1_000);
                }
                next = pump(lane);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pushes every frame of the lane due now; returns when the next one is due (monotonic microseconds). */
    private long pump(Lane l) {
        long now = System.nanoTime() / 1_000;
        try {
            for (MediaFrame f; !stopped && (f = l.pacer.poll(now)) != null; ) {
                l.source.push(((TimedEncodedFrame) f).frame());
            }
        } catch (IOException | RuntimeException e) {
            if (!stopped) {
                LoggerFactory.getLogger(MediaPump.class).warn("{} stopped: {}", l.source, e.toString());
            }
            return Long.MAX_VALUE;
        }
        return l.pacer.nextDueMicros();
    }

    /** Stops playing and closes the readers. */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            stopped = true;
            running = List.copyOf(threads);
        }
        for (Thread t : running) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Lane l : lanes) {
            try {
                l.reader.close();
            } catch (IOException ignored) {
                // only a file we read
            }
        }
    }
}
