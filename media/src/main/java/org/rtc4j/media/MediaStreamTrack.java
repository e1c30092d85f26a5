package org.rtc4j.media;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rtc4j.rtp.EncodedFrame;

/**
 * One audio or video track (Media Capture and Streams, {@code MediaStreamTrack}), fed by a {@link MediaSource}
 * and feeding {@link MediaSink}s.
 *
 * <p>Disabled ({@code enabled = false}), a track hands its sinks black pictures and silence of the same size and
 * time as its source's frames, as the spec says; encoded frames cannot be blanked without an encoder, so a
 * disabled track drops them. {@link #stop()} ends the track at once (no {@code ended} event, as the spec says);
 * when no other track uses the source, the source releases its device before {@code stop()} returns.
 *
 * <p>Threads: the track has none. Event handlers run on the thread that causes the event: {@code ended},
 * {@code mute} and {@code unmute} on the source's thread; frames reach sinks on the source's thread. Every method
 * may be called from any thread.
 */
public final class MediaStreamTrack {

    private final String id = UUID.randomUUID().toString();
    private final MediaSource source;
    private final List<MediaSink> sinks = new CopyOnWriteArrayList<>();
    private volatile boolean enabled;
    private volatile MediaStreamTrackState readyState = MediaStreamTrackState.LIVE;
    private volatile MediaTrackConstraints constraints;
    private volatile Runnable onEnded;
    private volatile Runnable onMute;
    private volatile Runnable onUnmute;
    private VideoFrame black;      // reused blank picture (a race only costs a new one: frames are immutable)
    private AudioFrame silence;    // reused silence, likewise

    MediaStreamTrack(MediaSource source, MediaTrackConstraints constraints, boolean enabled) {
        this.source = source;
        this.constraints = constraints;
        this.enabled = enabled;
    }

    public String id() {
        return id;
    }

    public MediaKind kind() {
        return source.kind();
    }

    public String label() {
        return source.label();
    }

    public boolean enabled() {
        return enabled;
    }

    /** Disabled, the track sends black pictures and silence (or drops encoded frames) until enabled again. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** True while the source gives no media through no choice of the application. */
    public boolean muted() {
        return readyState == MediaStreamTrackState.LIVE && source.muted();
    }

    public MediaStreamTrackState readyState() {
        return readyState;
    }

    /** The source behind this track (non-standard: rtc4j's handle on a push or file source). */
    public MediaSource source() {
        return source;
    }

    /** Ends the track now; the source stops and releases its device if no other track uses it. */
    public void stop() {
        if (readyState == MediaStreamTrackState.ENDED) {
            return;
        }
        readyState = MediaStreamTrackState.ENDED;
        source.detach(this);
    }

    /** A new live track on the same source with the same enabled state and constraints. */
    public MediaStreamTrack clone() {
        MediaStreamTrack c = new MediaStreamTrack(source, constraints, enabled);
        if (readyState == MediaStreamTrackState.ENDED) {
            c.readyState = MediaStreamTrackState.ENDED;
            return c;
        }
        return source.attach(c);
    }

    /** What the track runs at; deviceId and groupId included. */
    public MediaTrackSettings getSettings() {
        return source.settings();
    }

    /** What the track's device could run at. */
    public MediaTrackCapabilities getCapabilities() {
        return source.capabilities();
    }

    /** The constraints last applied (by getUserMedia or {@link #applyConstraints}). */
    public MediaTrackConstraints getConstraints() {
        return constraints;
    }

    /**
     * Runs the spec's selection over this track's device alone and switches to the best settings. Fails with
     * {@link OverconstrainedError} (and changes nothing) when the device cannot meet the required constraints.
     * Settings belong to the source, so a track's clones see them change too.
     */
    public CompletableFuture<Void> applyConstraints(MediaTrackConstraints c) {
        if (readyState == MediaStreamTrackState.ENDED) {
            constraints = c;   // spec: an ended track stores the constraints and resolves
            return CompletableFuture.completedFuture(null);
        }
        try {
            source.applySettings(c);
            constraints = c;
            return CompletableFuture.completedFuture(null);
        } catch (MediaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public void onEnded(Runnable handler) {
        onEnded = handler;
    }

    public void onMute(Runnable handler) {
        onMute = handler;
    }

    public void onUnmute(Runnable handler) {
        onUnmute = handler;
    }

    /** Adds a sink that receives this track's frames from now on, until removed or the track ends. */
    public void addSink(MediaSink sink) {
        sinks.add(java.util.Objects.requireNonNull(sink));
    }

    public void removeSink(MediaSink sink) {
        sinks.remove(sink);
    }

    void deliver(MediaFrame frame) {
        if (readyState != MediaStreamTrackState.LIVE) {
            return;
        }
        switch (frame) {
            case VideoFrame v -> {
                VideoFrame out = enabled ? v : blackLike(v);
                sinks.forEach(s -> s.onVideoFrame(out));
            }
            case AudioFrame a -> {
                AudioFrame out = enabled ? a : silenceLike(a);
                sinks.forEach(s -> s.onAudioFrame(out));
            }
            case TimedEncodedFrame e -> deliverEncoded(e.frame());
        }
    }

    void deliverEncoded(EncodedFrame frame) {
        if (readyState == MediaStreamTrackState.LIVE && enabled) {
            sinks.forEach(s -> s.onEncodedFrame(frame));
        }
    }

    private VideoFrame blackLike(VideoFrame v) {
        VideoFrame b = black;
        if (b == null || b.width() != v.width() || b.height() != v.height()) {
            b = VideoFrame.black(v.width(), v.height(), 0);
            black = b;
        }
        return b.withTimestamp(v.timestampMicros()).withRotation(v.rotation());
    }

    private AudioFrame silenceLike(AudioFrame a) {
        AudioFrame s = silence;
        if (s == null || s.samples().length != a.samples().length || s.channels() != a.channels()
                || s.sampleRate() != a.sampleRate()) {
            s = AudioFrame.silence(a.sampleRate(), a.channels(), a.samplesPerChannel(), 0);
            silence = s;
        }
        return s.withTimestamp(a.timestampMicros());
    }

    void sourceMuted(boolean m) {
        Runnable h = m ? onMute : onUnmute;
        if (h != null && readyState == MediaStreamTrackState.LIVE) {
            h.run();
        }
    }

    void sourceEnded() {
        if (readyState == MediaStreamTrackState.ENDED) {
            return;
        }
        readyState = MediaStreamTrackState.ENDED;
        Runnable h = onEnded;
        if (h != null) {
            h.run();
        }
    }

    @Override
    public String toString() {
        return kind() + " track " + id + " (" + label() + ", " + readyState + (enabled ? "" : ", disabled") + ")";
    }
}
