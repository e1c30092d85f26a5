package org.rtc4j;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.media.FramePacer;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.TimedEncodedFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays frame readers (files, pre-encoded streams) into push sources in real time on a connection's own loop
 * (non-standard): one timer of the loop paces them all, with no thread of their own. A frame due reaches the
 * source's tracks on the loop, and a sender of that connection takes it there and then; the frames of every
 * lane due at one wake-up (or within {@link #SLACK_MICROS} of it) go out together in the one pump after it. A
 * source played on its own thread instead costs two thread wake-ups and a hand-over to the loop per frame.
 *
 * <p>For readers that cost little per frame (a file's frames, pre-encoded ones): a reader that encodes belongs
 * on a thread of its own, as its source's sinks do. The tracks' other sinks run on the loop too, and must not
 * block. Frames keep their readers' timing
 * ({@link FramePacer}: one continuous timeline, across loops). A reader that fails stops its lane (logged).
 */
public final class LoopPlayer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopPlayer.class);
    /**
     * How early a frame may leave to share a wake-up with another lane's: well inside what a receiver's jitter
     * buffer absorbs, and the frame keeps its own timestamp. With audio every 20 ms and video every 33.3, 7 ms
     * lets every video frame ride with an audio one (6.7 ms early at most): 50 wake-ups a second instead of 70
     * with 3 ms, each a select, a loop turn and a pump fewer.
     */
    static final long SLACK_MICROS = 7_000;
    private static final long MAX_WAIT_MICROS = 3_600_000_000L;
    /** Frames of one lane per wake-up: a late lane catches up in steps, with the loop's other work between. */
    static final int MAX_FRAMES_PER_TICK = 8;

    private record Lane(FrameReader reader, FramePacer pacer, PushSource source) {
    }

    private final IoLoop loop;
    private final List<Lane> lanes = new ArrayList<>();
    private final List<Lane> playing = new ArrayList<>();
    private final IoLoop.Timed timer = new IoLoop.Timed() {
        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public void onTimer() {
            tick();
        }
    };
    // On the loop only:
    private Instant deadline;
    private boolean started;
    private boolean stopped;

    /** A player on {@code pc}'s loop; its sources' tracks are meant for that connection's senders. */
    public LoopPlayer(RTCPeerConnection pc) {
        this.loop = pc.loop();
    }

    /** Plays {@code reader} (looped if {@code loop}) into {@code source}; before {@link #start()}. */
    public synchronized LoopPlayer add(FrameReader reader, boolean loop, PushSource source) {
        lanes.add(new Lane(reader, new FramePacer(reader, loop), source));
        return this;
    }

    /**
     * Starts playing: every reader's first frame is pushed at once (inline when called on the connection's loop,
     * in its connected event say), the rest when due. Once; nothing after {@link #close()}.
     */
    public void start() {
        List<Lane> all;
        synchronized (this) {
            all = List.copyOf(lanes);
        }
        Runnable begin = () -> {
            if (started || stopped) {
                return;
            }
            started = true;
            playing.addAll(all);
            loop.addTimed(timer);
            tick();
        };
        if (loop.inLoop()) {
            begin.run();
        } else {
            loop.execute(begin);
        }
    }

    /** Pushes every frame due now (or within the slack), then sets the timer to when the next one is due. */
    private void tick() {
        deadline = null;
        if (stopped) {
            return;
        }
        long now = System.nanoTime() / 1_000;
        long next = Long.MAX_VALUE;
        for (int i = 0; i < playing.size(); i++) {
            Lane l = playing.get(i);
            long due = pump(l, now + SLACK_MICROS);
            if (due == Long.MAX_VALUE) {
                playing.remove(i--);
            }
            next = Math.min(next, due);
        }
        // Every lane's next frame is later than now + slack (poll pushed the others), so the wait is positive
        // unless a file's absurd timestamps (FramePacer saturates them) overflow it: then, as any wait over an
        // hour, it ends after an hour and is looked at again.
        long wait = next - now;
        deadline = next == Long.MAX_VALUE ? null
                : IoLoop.atNanoTime((now + (wait < 0 ? MAX_WAIT_MICROS : Math.min(wait, MAX_WAIT_MICROS))) * 1_000);
    }

    /**
     * Pushes the frames of the lane due by {@code nowMicros}, {@link #MAX_FRAMES_PER_TICK} at most; returns when
     * the next one is due, or a millisecond from now for a lane that is behind (the loop reads its sockets
     * between, however far behind a reader falls).
     */
    private static long pump(Lane l, long nowMicros) {
        try {
            int n = 0;
            for (MediaFrame f; (f = l.pacer.poll(nowMicros)) != null; ) {
                if (f instanceof TimedEncodedFrame e) {
                    l.source.push(e.frame());
                } else {
                    l.source.push(f);
                }
                if (++n == MAX_FRAMES_PER_TICK) {
                    return nowMicros + 1_000;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} stopped: {}", l.source, e.toString());
            return Long.MAX_VALUE;
        }
        return l.pacer.nextDueMicros();
    }

    /** Stops playing (no frame is pushed after this returns) and closes the readers. */
    @Override
    public void close() {
        loop.call(() -> {
            stopped = true;
            deadline = null;
            loop.removeTimed(timer);
            playing.clear();
            return null;
        });
        List<Lane> all;
        synchronized (this) {
            all = List.copyOf(lanes);
        }
        for (Lane l : all) {
            try {
                l.reader.close();
            } catch (IOException e) {
                LOG.debug("{}: close: {}", l.source, e.toString());
            }
        }
    }
}
