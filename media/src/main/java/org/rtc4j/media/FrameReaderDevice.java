package org.rtc4j.media;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A file (or any {@link FrameReader}) offered as a camera or microphone, so that {@code getUserMedia} plays it
 * (as browsers' {@code --use-file-for-fake-video-capture} does): register it with {@link MediaDevices#addDevice}.
 * Each open makes a new reader and a {@link PacedSource} playing it in real time, looped if asked.
 */
public final class FrameReaderDevice implements CaptureDevice {

    private final MediaDeviceInfo info;
    private final MediaTrackSettings settings;
    private final Callable<FrameReader> readers;
    private final boolean loop;

    /**
     * @param info     the device's identity; kind {@code audioinput} or {@code videoinput}
     * @param settings what the file holds (size and frame rate, or sample rate and channels): the only settings
     *                 the device offers to constraints; its deviceId and groupId are taken from {@code info}
     * @param readers  opens a new reader at the start of the file
     * @param loop     play again from the start at the end, else end the tracks
     */
    public FrameReaderDevice(MediaDeviceInfo info, MediaTrackSettings settings, Callable<FrameReader> readers,
                             boolean loop) {
        this.info = Objects.requireNonNull(info, "info");
        if (info.kind() == MediaDeviceKind.AUDIOOUTPUT) {
            throw new IllegalArgumentException("an input device, not " + info.kind());
        }
        this.settings = new MediaTrackSettings(settings.width(), settings.height(), settings.aspectRatio(),
                settings.frameRate(), settings.sampleRate(), settings.sampleSize(), settings.channelCount(),
                info.deviceId(), info.groupId());
        this.readers = Objects.requireNonNull(readers, "readers");
        this.loop = loop;
    }

    @Override
    public MediaDeviceInfo info() {
        return info;
    }

    @Override
    public MediaTrackCapabilities capabilities() {
        return MediaTrackCapabilities.exactly(settings);
    }

    @Override
    public MediaTrackSettings defaultSettings() {
        return settings;
    }

    @Override
    public List<MediaTrackSettings> modes() {
        return List.of(settings);
    }

    @Override
    public MediaSource open(MediaTrackSettings chosen) {
        FrameReader r;
        try {
            r = readers.call();
        } catch (Exception e) {
            throw new NotReadableError("cannot open " + info.label() + ": " + e.getMessage(), e);
        }
        MediaKind want = info.kind() == MediaDeviceKind.VIDEOINPUT ? MediaKind.VIDEO : MediaKind.AUDIO;
        if (r.kind() != want) {
            throw new NotReadableError(info.label() + " holds " + r.kind() + ", not " + want, null);
        }
        return new PacedSource(r, loop, info.label(), settings);
    }
}
