package org.rtc4j.media;

import java.io.IOException;
import org.rtc4j.media.internal.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link FrameReader} (a file: IVF, Annex B, Ogg, WebM, Y4M, WAV) in real time, optionally looped: each
 * frame reaches the tracks when its time comes, re-timed onto one continuous timeline ({@link FramePacer}).
 * At the end (without loop) or on a read error, the tracks end and fire {@code ended}.
 *
 * <p>Threads: one scheduler thread ({@code rtc4j-paced-source}), started with the first track and shut down,
 * with the reader closed, when the last track stops or the source ends. Reading happens on that thread.
 */
public final class PacedSource extends MediaSource {

    private static final Logger LOG = LoggerFactory.getLogger(PacedSource.class);

    private final FrameReader reader;
    private final FramePacer pacer;
    private final Ticker ticker;
    private final Object lock = new Object();
    private boolean closed;

    /** A source playing {@code reader} (which it closes when done), looping if {@code loop}. */
    public PacedSource(FrameReader reader, boolean loop, String label) {
        this(reader, loop, label, new MediaTrackSettings(null, null, null, null, null, null, null, "", ""));
    }

    /** As above, announcing {@code initial} settings (its deviceId stays; size and format follow the frames). */
    public PacedSource(FrameReader reader, boolean loop, String label, MediaTrackSettings initial) {
        super(reader.kind(), label, initial);
        this.reader = reader;
        this.pacer = new FramePacer(reader, loop);
        this.ticker = new Ticker("rtc4j-paced-source", this::tick);
    }

    /** Frames played so far. */
    public long frames() {
        return pacer.frames();
    }

    private long tick(long now) {
        boolean ended = false;
        synchronized (lock) {
            if (closed) {
                return Long.MAX_VALUE;
            }
            try {
                for (MediaFrame f; (f = pacer.poll(now)) != null; ) {
                    follow(f);
                    deliver(f);
                }
                ended = pacer.isFinished();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: cannot read on after {} frames: {}", label(), pacer.frames(), e.toString());
                ended = true;
            }
        }
        if (ended) {
            end();
            return Long.MAX_VALUE;
        }
        return pacer.nextDueMicros();
    }

    @Override
    protected void onStart() {
        ticker.start();
    }

    @Override
    protected void onStop() {
        ticker.stop();
        synchronized (lock) {
            closed = true;
            try {
                reader.close();
            } catch (IOException e) {
                LOG.debug("{}: close: {}", label(), e.toString());
            }
        }
    }
}
