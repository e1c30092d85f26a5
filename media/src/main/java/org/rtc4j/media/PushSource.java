package org.rtc4j.media;

import org.rtc4j.rtp.EncodedFrame;

/**
 * A source the application feeds at its own pace: raw pictures or audio ({@link #push(MediaFrame)}) or encoded
 * frames ({@link #push(EncodedFrame)}) from an encoder or a file of its own. Tracks come from
 * {@link #createTrack()}; frames reach their sinks on the pushing thread, before {@code push} returns. Push from
 * one thread at a time (or order frames yourself).
 *
 * <p>Its {@link #settings()} follow the frames: a picture of a new size changes {@code width} and
 * {@code height}, audio of a new format {@code sampleRate} and {@code channelCount}.
 */
public final class PushSource extends MediaSource {

    private long pushed;
    private long dropped;
    private volatile Runnable onKeyFrameRequest;

    /** A source of {@code kind}, settings unknown until the first frame. */
    public PushSource(MediaKind kind, String label) {
        this(kind, label, new MediaTrackSettings(null, null, null, null, null, null, null, "", ""));
    }

    /** A source of {@code kind} announcing {@code initial} settings (frame rate, size) before any frame. */
    public PushSource(MediaKind kind, String label, MediaTrackSettings initial) {
        super(kind, label, initial);
    }

    /**
     * Hands a raw frame (or a timed encoded frame) to every live track.
     *
     * @return false, dropping the frame, once the source has stopped (its last track stopped) or ended
     * @throws IllegalArgumentException for a frame of the other kind
     */
    public boolean push(MediaFrame frame) {
        if (frame.kind() != kind()) {
            throw new IllegalArgumentException("a " + kind() + " source cannot take " + frame);
        }
        if (isStopped()) {
            dropped++;
            return false;
        }
        follow(frame);
        deliver(frame);
        pushed++;
        return true;
    }

    /** Hands an encoded frame to every live track's encoded sinks; false once stopped, as above. */
    public boolean push(EncodedFrame frame) {
        if (frame.codec().isVideo() != (kind() == MediaKind.VIDEO)) {
            throw new IllegalArgumentException("a " + kind() + " source cannot take " + frame);
        }
        if (isStopped()) {
            dropped++;
            return false;
        }
        deliver(frame);
        pushed++;
        return true;
    }

    /**
     * What to do when a sender of these encoded frames is asked for a key frame ({@link #requestKeyFrame()}):
     * make the next frame pushed a key frame, or ask upstream. Null (the default) ignores the requests.
     */
    public void onKeyFrameRequest(Runnable handler) {
        onKeyFrameRequest = handler;
    }

    @Override
    protected void keyFrameRequested() {
        Runnable handler = onKeyFrameRequest;
        if (handler != null) {
            handler.run();
        }
    }

    /** Mutes (or unmutes) the tracks: they fire {@code mute} / {@code unmute}. */
    public void mute(boolean muted) {
        setMuted(muted);
    }

    /** The media has ended for good: the tracks end and fire {@code ended}. */
    public void endOfStream() {
        end();
    }

    /** Frames handed on so far. */
    public long pushed() {
        return pushed;
    }

    /** Frames refused because the source had stopped. */
    public long dropped() {
        return dropped;
    }

    @Override
    protected void onStart() {
        // Nothing to open: the application drives this source.
    }

    @Override
    protected void onStop() {
        // Nothing to release.
    }
}
