package org.rtc4j.media;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rtc4j.media.internal.SettingsSelector;
import org.rtc4j.rtp.EncodedFrame;

/**
 * What feeds tracks (the spec's "source"): a device, a generator, a file, or the application. One source feeds
 * every track made from it and its clones; it starts with its first track and stops, releasing whatever it
 * holds at once, when its last track stops. A source that runs out (the end of a file) ends its tracks, which
 * fire {@code ended}.
 *
 * <p>Subclasses implement {@link #onStart()} and {@link #onStop()} and call {@link #deliver} with each frame,
 * from whatever thread produces it.
 */
public abstract class MediaSource {

    private final MediaKind kind;
    private final String label;
    private final List<MediaStreamTrack> tracks = new CopyOnWriteArrayList<>();
    private volatile MediaTrackSettings settings;
    private volatile boolean muted;
    private boolean started;
    private boolean stopped;

    protected MediaSource(MediaKind kind, String label, MediaTrackSettings settings) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.label = Objects.requireNonNull(label, "label");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public final MediaKind kind() {
        return kind;
    }

    /** A human-readable name, the track's {@code label}. */
    public final String label() {
        return label;
    }

    /** What the source runs at now. */
    public final MediaTrackSettings settings() {
        return settings;
    }

    /** What the source could run at; by default only its current settings. */
    public MediaTrackCapabilities capabilities() {
        return MediaTrackCapabilities.exactly(settings);
    }

    /**
     * The only settings the source can run at (for {@code applyConstraints}); empty for any within its
     * {@link #capabilities()} ranges. By default only the current settings.
     */
    protected List<MediaTrackSettings> modes() {
        return List.of(settings);
    }

    public final boolean muted() {
        return muted;
    }

    /** True once stopped (no live track left) or ended; a stopped source never starts again. */
    public final synchronized boolean isStopped() {
        return stopped;
    }

    /** A new live track fed by this source; the first one starts the source. */
    public final MediaStreamTrack createTrack() {
        return attach(new MediaStreamTrack(this, MediaTrackConstraints.none(), true));
    }

    final MediaStreamTrack attach(MediaStreamTrack track) {
        boolean start;
        synchronized (this) {
            if (stopped) {
                throw new InvalidStateError("source " + label + " has stopped");
            }
            tracks.add(track);
            start = !started;
            started = true;
        }
        if (start) {
            try {
                onStart();
            } catch (RuntimeException e) {
                synchronized (this) {   // a device that would not open: the source is spent
                    tracks.remove(track);
                    stopped = true;
                }
                throw e;
            }
        }
        return track;
    }

    final void detach(MediaStreamTrack track) {
        boolean stop;
        synchronized (this) {
            tracks.remove(track);
            stop = tracks.isEmpty() && started && !stopped;
            if (stop) {
                stopped = true;
            }
        }
        if (stop) {
            onStop();
        }
    }

    /** Starts producing: open the device, start the scheduler. Called once, with the first track. */
    protected abstract void onStart();

    /** Stops producing and releases everything at once. Called once, when the last track stops or on end. */
    protected abstract void onStop();

    /**
     * Switches to {@code next} (chosen by {@code applyConstraints} among {@link #capabilities()} and
     * {@link #modes()}). By default only the current settings are possible, so nothing changes.
     *
     * @throws NotReadableError when the device cannot be reopened in the new settings
     */
    protected void reconfigure(MediaTrackSettings next) {
        if (!next.equals(settings)) {
            throw new OverconstrainedError("", label + " cannot change its settings");
        }
    }

    /** Records new settings, as {@code getSettings} will report them (a pushed picture of another size). */
    protected final void updateSettings(MediaTrackSettings next) {
        settings = Objects.requireNonNull(next);
    }

    /** Settings that follow the frames (push and file sources): a new size or audio format updates them. */
    final void follow(MediaFrame frame) {
        MediaTrackSettings s = settings;
        String id = s.deviceId().isEmpty() ? "source-" + Integer.toHexString(System.identityHashCode(this))
                : s.deviceId();
        switch (frame) {
            case VideoFrame v when !Objects.equals(s.width(), v.width()) || !Objects.equals(s.height(), v.height())
                    -> settings = new MediaTrackSettings(v.width(), v.height(), (double) v.width() / v.height(),
                            s.frameRate(), null, null, null, id, s.groupId());
            case AudioFrame a when !Objects.equals(s.sampleRate(), a.sampleRate())
                    || !Objects.equals(s.channelCount(), a.channels())
                    -> settings = MediaTrackSettings.audio(a.sampleRate(), a.channels(), id, s.groupId());
            default -> {
            }
        }
    }

    final synchronized void applySettings(MediaTrackConstraints c) {
        List<MediaTrackSettings> candidates = SettingsSelector.candidates(capabilities(), settings, modes(), c);
        SettingsSelector.Choice choice = SettingsSelector.select(candidates, c);
        if (choice == null) {
            String failed = SettingsSelector.failedConstraint(candidates, c.basic());
            throw new OverconstrainedError(failed, label + " cannot meet the constraint " + failed);
        }
        if (!choice.settings().equals(settings)) {
            reconfigure(choice.settings());
            settings = choice.settings();
        }
    }

    /**
     * Someone downstream needs a key frame to decode from: a peer's PLI or FIR (RFC 4585 section 6.3.1, RFC 5104
     * section 4.3.1) on a sender passing this source's encoded frames on. A source of encoded frames passes the
     * request to whatever makes them ({@link #keyFrameRequested()}); for raw frames the sender's encoder makes
     * the key frame and the source has nothing to do.
     */
    public final void requestKeyFrame() {
        keyFrameRequested();
    }

    /** What {@link #requestKeyFrame()} does: nothing by default. Called on the requesting connection's thread. */
    protected void keyFrameRequested() {
    }

    /** Hands a frame to every live track (which blacks or silences it if disabled) and their sinks. */
    protected final void deliver(MediaFrame frame) {
        for (MediaStreamTrack t : tracks) {
            t.deliver(frame);
        }
    }

    /** Hands an encoded frame without a time in microseconds to every live track. */
    protected final void deliver(EncodedFrame frame) {
        for (MediaStreamTrack t : tracks) {
            t.deliverEncoded(frame);
        }
    }

    /** Mutes or unmutes the source (no media for now, through no fault of the application); tracks fire events. */
    protected final void setMuted(boolean m) {
        if (muted == m) {
            return;
        }
        muted = m;
        for (MediaStreamTrack t : tracks) {
            t.sourceMuted(m);
        }
    }

    /** The source has ended for good (end of file, device gone): its tracks end and fire {@code ended}. */
    protected final void end() {
        List<MediaStreamTrack> ending;
        boolean stop;
        synchronized (this) {
            ending = List.copyOf(tracks);
            tracks.clear();
            stop = started && !stopped;
            stopped = true;
        }
        if (stop) {
            onStop();
        }
        for (MediaStreamTrack t : ending) {
            t.sourceEnded();
        }
    }

    @Override
    public String toString() {
        return kind + " source " + label;
    }
}
