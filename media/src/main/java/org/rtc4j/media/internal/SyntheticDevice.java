package org.rtc4j.media.internal;

import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.CaptureDevice;
import org.rtc4j.media.DoubleRange;
import org.rtc4j.media.MediaDeviceInfo;
import org.rtc4j.media.MediaDeviceKind;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSettings;
import org.rtc4j.media.MediaSource;
import org.rtc4j.media.MediaTrackCapabilities;
import org.rtc4j.media.MediaTrackSettings;
import org.rtc4j.media.SyntheticAudio;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;

/** The synthetic camera and microphone as devices: any size, rate and channel count within their ranges. */
public final class SyntheticDevice implements CaptureDevice {

    public static final String CAMERA_ID = "rtc4j-synthetic-camera";
    public static final String MICROPHONE_ID = "rtc4j-synthetic-microphone";
    private static final String GROUP = "rtc4j-synthetic";
    /** Audio comes in 10 ms frames, as WebRTC's audio pipeline moves it. */
    static final int AUDIO_FRAME_MILLIS = 10;
    /** A late audio tick catches up at most this many frames; older ones are skipped. */
    private static final int MAX_CATCH_UP = 50;

    private final MediaDeviceInfo info;
    private final MediaTrackCapabilities caps;
    private final MediaTrackSettings defaults;
    private final double toneHertz;

    private SyntheticDevice(MediaDeviceInfo info, MediaTrackCapabilities caps, MediaTrackSettings defaults,
                            double toneHertz) {
        this.info = info;
        this.caps = caps;
        this.defaults = defaults;
        this.toneHertz = toneHertz;
    }

    public static SyntheticDevice camera(MediaSettings s) {
        MediaTrackSettings d = s.syntheticVideo();
        return new SyntheticDevice(new MediaDeviceInfo(CAMERA_ID, MediaDeviceKind.VIDEOINPUT,
                "rtc4j synthetic camera", GROUP),
                MediaTrackCapabilities.video(new DoubleRange(SyntheticVideo.MIN_WIDTH, 3840),
                        new DoubleRange(SyntheticVideo.MIN_HEIGHT, 2160), new DoubleRange(1, 60), CAMERA_ID, GROUP),
                MediaTrackSettings.video(d.width(), d.height(), d.frameRate(), CAMERA_ID, GROUP), s.toneHertz());
    }

    public static SyntheticDevice microphone(MediaSettings s) {
        MediaTrackSettings d = s.syntheticAudio();
        return new SyntheticDevice(new MediaDeviceInfo(MICROPHONE_ID, MediaDeviceKind.AUDIOINPUT,
                "rtc4j synthetic microphone", GROUP),
                MediaTrackCapabilities.audio(new DoubleRange(8_000, 96_000), new DoubleRange(1, 2), MICROPHONE_ID,
                        GROUP),
                MediaTrackSettings.audio(d.sampleRate(), d.channelCount(), MICROPHONE_ID, GROUP), s.toneHertz());
    }

    @Override
    public MediaDeviceInfo info() {
        return info;
    }

    @Override
    public MediaTrackCapabilities capabilities() {
        return caps;
    }

    @Override
    public MediaTrackSettings defaultSettings() {
        return defaults;
    }

    @Override
    public MediaSource open(MediaTrackSettings settings) {
        return info.kind() == MediaDeviceKind.VIDEOINPUT ? new Video(info.label(), settings, caps)
                : new Audio(info.label(), settings, caps, toneHertz);
    }

    /** The test pattern, a frame each 1/frameRate s; a late tick skips to the frame of its time. */
    static final class Video extends TickingSource {
        private volatile SyntheticVideo pattern;
        private SyntheticVideo current;
        private long startMicros;
        private long next;

        Video(String label, MediaTrackSettings s, MediaTrackCapabilities caps) {
            super(MediaKind.VIDEO, label, s, caps, "rtc4j-synthetic-camera");
            this.pattern = new SyntheticVideo(s.width(), s.height(), s.frameRate());
        }

        @Override
        long tick(long now) {
            SyntheticVideo p = pattern;
            if (p != current) {
                // First tick, or new settings: frame `next` is due now, on the new frame rate's timeline.
                current = p;
                startMicros = now - p.timestampMicros(next);
            }
            long due = (long) ((now - startMicros) * p.frameRate() / 1_000_000);
            long index = Math.max(next, due);
            VideoFrame f = p.frame(index);
            next = index + 1;
            deliver(f.withTimestamp(startMicros + p.timestampMicros(index)));
            return startMicros + p.timestampMicros(next);
        }

        @Override
        protected void reconfigure(MediaTrackSettings s) {
            pattern = new SyntheticVideo(s.width(), s.height(), s.frameRate());
        }
    }

    /** The tone, in 10 ms frames; a late tick catches up (bounded), so the sound stays continuous. */
    static final class Audio extends TickingSource {
        private final double toneHertz;
        private volatile SyntheticAudio tone;
        private long startMicros = -1;
        private long frames;

        Audio(String label, MediaTrackSettings s, MediaTrackCapabilities caps, double toneHertz) {
            super(MediaKind.AUDIO, label, s, caps, "rtc4j-synthetic-microphone");
            this.toneHertz = toneHertz;
            this.tone = new SyntheticAudio(s.sampleRate(), s.channelCount(), toneHertz);
        }

        @Override
        long tick(long now) {
            SyntheticAudio t = tone;
            if (startMicros < 0) {
                startMicros = now;
            }
            long due = (now - startMicros) / (AUDIO_FRAME_MILLIS * 1_000L) + 1;
            frames = Math.max(frames, due - MAX_CATCH_UP);
            long perSecond = 1_000 / AUDIO_FRAME_MILLIS;
            while (frames < due) {
                // Exact sample boundaries, so that 11025 Hz (110.25 samples a frame) does not drift.
                long first = frames * t.sampleRate() / perSecond;
                long end = (frames + 1) * t.sampleRate() / perSecond;
                AudioFrame f = t.frame(first, (int) (end - first));
                deliver(f.withTimestamp(startMicros + frames * AUDIO_FRAME_MILLIS * 1_000L));
                frames++;
            }
            return startMicros + frames * AUDIO_FRAME_MILLIS * 1_000L;
        }

        @Override
        protected void reconfigure(MediaTrackSettings s) {
            tone = new SyntheticAudio(s.sampleRate(), s.channelCount(), toneHertz);
        }
    }
}
