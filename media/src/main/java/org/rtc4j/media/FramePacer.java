package org.rtc4j.media;

import java.io.IOException;
import java.util.Objects;

/**
 * Paces a {@link FrameReader} on a clock the caller passes in (sans-IO: no threads, no clock reads), so that
 * frames come out when their time comes, re-timed onto one continuous timeline that starts at the first
 * {@link #poll} and runs on across loops. {@code PacedSource} drives it in real time; tests drive it with any
 * times they like.
 *
 * <p>Usage: call {@link #poll(long)} with the current time until it returns {@code null}, then wait until
 * {@link #nextDueMicros()} (or stop when {@link #isFinished()}).
 */
public final class FramePacer {

    /** What a loop lasts at least, so that a sequence of one zero-length frame cannot spin. */
    static final long MIN_LOOP_MICROS = 1_000;

    private final FrameReader reader;
    private final boolean loop;
    private MediaFrame pending;
    private boolean started;
    private boolean finished;
    private long startMicros;       // clock time of the output timeline's zero
    private long firstInputMicros;  // input timestamp of the first frame of the sequence
    private long loopOffsetMicros;  // added to input times (minus firstInputMicros) in the current loop
    private long lastInputMicros;
    private long lastGapMicros;
    private long lastDurationMicros;
    private long frames;

    public FramePacer(FrameReader reader, boolean loop) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.loop = loop;
    }

    /**
     * The next frame whose time has come at {@code nowMicros}, re-timed onto the output timeline (clock time of
     * the first poll plus its offset in the sequence), or {@code null} if none is due yet or the sequence ended.
     */
    public MediaFrame poll(long nowMicros) throws IOException {
        if (!started) {
            started = true;
            startMicros = nowMicros;
            pending = readNext(true);
        }
        if (pending == null) {
            return null;
        }
        long due = dueMicros(pending);
        if (due > nowMicros) {
            return null;
        }
        MediaFrame out = retime(pending, due);
        frames++;
        pending = readNext(false);
        return out;
    }

    /** Clock time at which the next frame is due, or {@link Long#MAX_VALUE} when finished or not started. */
    public long nextDueMicros() {
        return pending == null ? Long.MAX_VALUE : dueMicros(pending);
    }

    /** True once the sequence ended and will not loop (or could not be read). */
    public boolean isFinished() {
        return finished;
    }

    /** Frames handed out so far. */
    public long frames() {
        return frames;
    }

    /** Saturating: a file's absurd timestamps make a frame due at once or never, not wrap around. */
    private long dueMicros(MediaFrame f) {
        long offset = f.timestampMicros() - firstInputMicros;
        if ((f.timestampMicros() ^ firstInputMicros) < 0 && (offset ^ f.timestampMicros()) < 0) {
            offset = f.timestampMicros() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;   // the subtraction overflowed
        }
        long base = startMicros + loopOffsetMicros;
        long due = base + offset;
        if (((base ^ due) & (offset ^ due)) < 0) {
            due = offset < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return due;
    }

    private MediaFrame readNext(boolean first) throws IOException {
        MediaFrame f = readChecked();
        if (first) {
            if (f != null) {
                firstInputMicros = f.timestampMicros();
                lastInputMicros = firstInputMicros;
            }
        } else if (f == null && loop && frames > 0) {
            // One loop lasts from the first frame to the end of the last (its duration, else the last gap).
            long end = lastInputMicros + (lastDurationMicros > 0 ? lastDurationMicros : lastGapMicros);
            loopOffsetMicros += Math.max(MIN_LOOP_MICROS, end - firstInputMicros);
            reader.rewind();
            f = readChecked();
            if (f != null) {
                firstInputMicros = f.timestampMicros();
                lastInputMicros = firstInputMicros;
                lastGapMicros = 0;
            }
        }
        if (f == null) {
            finished = true;
            return null;
        }
        if (f.timestampMicros() > lastInputMicros) {
            lastGapMicros = f.timestampMicros() - lastInputMicros;
        }
        lastInputMicros = Math.max(lastInputMicros, f.timestampMicros());
        lastDurationMicros = switch (f) {
            case AudioFrame a -> a.durationMicros();
            case TimedEncodedFrame e -> e.durationMicros();
            case VideoFrame v -> 0;
        };
        return f;
    }

    private MediaFrame readChecked() throws IOException {
        MediaFrame f = reader.read();
        if (f != null && f.kind() != reader.kind()) {
            throw new IOException("reader of " + reader.kind() + " yielded a " + f.kind() + " frame");
        }
        return f;
    }

    private static MediaFrame retime(MediaFrame f, long micros) {
        return switch (f) {
            case VideoFrame v -> v.withTimestamp(micros);
            case AudioFrame a -> a.withTimestamp(micros);
            case TimedEncodedFrame e -> e.at(micros);
        };
    }
}
