package org.rtc4j.media;

import java.util.List;

/** A device for tests: given capabilities or modes; opens a PushSource at the chosen settings, or fails. */
final class TestDevice implements CaptureDevice {
    final MediaDeviceInfo info;
    final MediaTrackCapabilities caps;
    final MediaTrackSettings defaults;
    final List<MediaTrackSettings> modes;
    RuntimeException failure;
    PushSource opened;

    TestDevice(String id, MediaTrackCapabilities caps, MediaTrackSettings defaults, List<MediaTrackSettings> modes) {
        this.info = new MediaDeviceInfo(id, defaults.width() != null ? MediaDeviceKind.VIDEOINPUT
                : MediaDeviceKind.AUDIOINPUT, "test " + id, "g-" + id);
        this.caps = caps;
        this.defaults = defaults;
        this.modes = modes;
    }

    /** A camera with only these sizes, at 30 fps. */
    static TestDevice camera(String id, int[]... sizes) {
        List<MediaTrackSettings> modes = java.util.Arrays.stream(sizes)
                .map(s -> MediaTrackSettings.video(s[0], s[1], 30, id, "g-" + id)).toList();
        return new TestDevice(id, MediaTrackCapabilities.video(new DoubleRange(1, 4000), new DoubleRange(1, 4000),
                new DoubleRange(30, 30), id, "g-" + id), modes.getFirst(), modes);
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
    public List<MediaTrackSettings> modes() {
        return modes;
    }

    @Override
    public MediaSource open(MediaTrackSettings settings) {
        if (failure != null) {
            throw failure;
        }
        opened = new PushSource(info.kind() == MediaDeviceKind.VIDEOINPUT ? MediaKind.VIDEO : MediaKind.AUDIO,
                info.label(), settings);
        return opened;
    }
}
