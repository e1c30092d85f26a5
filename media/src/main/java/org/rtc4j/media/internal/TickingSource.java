package org.rtc4j.media.internal;

import java.util.List;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSource;
import org.rtc4j.media.MediaTrackCapabilities;
import org.rtc4j.media.MediaTrackSettings;

/**
 * A source producing in real time on its own {@link Ticker} thread (started with the first track, shut down
 * when the source stops), able to run at any settings within its capability ranges.
 */
abstract class TickingSource extends MediaSource {

    private final MediaTrackCapabilities caps;
    private final Ticker ticker;

    TickingSource(MediaKind kind, String label, MediaTrackSettings settings, MediaTrackCapabilities caps,
                  String threadName) {
        super(kind, label, settings);
        this.caps = caps;
        this.ticker = new Ticker(threadName, this::tick);
    }

    /** Produces what is due at {@code now}; returns the monotonic time of the next call. */
    abstract long tick(long now);

    @Override
    public final MediaTrackCapabilities capabilities() {
        return caps;
    }

    @Override
    protected final List<MediaTrackSettings> modes() {
        return List.of();
    }

    @Override
    protected final void onStart() {
        ticker.start();
    }

    @Override
    protected final void onStop() {
        ticker.stop();
    }
}
