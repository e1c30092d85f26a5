package org.rtc4j.media;

/**
 * What a track's device can do (the spec's {@code MediaTrackCapabilities}): ranges for numbers, {@code null}
 * where a member does not apply to the kind.
 */
public record MediaTrackCapabilities(DoubleRange width, DoubleRange height, DoubleRange aspectRatio,
                                     DoubleRange frameRate, DoubleRange sampleRate, DoubleRange sampleSize,
                                     DoubleRange channelCount, String deviceId, String groupId) {

    /** A video device's capabilities; the aspect ratio range follows from the sizes. */
    public static MediaTrackCapabilities video(DoubleRange width, DoubleRange height, DoubleRange frameRate,
                                               String deviceId, String groupId) {
        DoubleRange ar = new DoubleRange(width.min() / height.max(), width.max() / height.min());
        return new MediaTrackCapabilities(width, height, ar, frameRate, null, null, null, deviceId, groupId);
    }

    /** An audio device's capabilities, 16-bit samples. */
    public static MediaTrackCapabilities audio(DoubleRange sampleRate, DoubleRange channelCount, String deviceId,
                                               String groupId) {
        return new MediaTrackCapabilities(null, null, null, null, sampleRate, DoubleRange.of(16), channelCount,
                deviceId, groupId);
    }

    /** The capabilities of a device that runs only at {@code s}: each range a single value. */
    public static MediaTrackCapabilities exactly(MediaTrackSettings s) {
        return new MediaTrackCapabilities(fixed(s.width()), fixed(s.height()), fixed(s.aspectRatio()),
                fixed(s.frameRate()), fixed(s.sampleRate()), fixed(s.sampleSize()), fixed(s.channelCount()),
                s.deviceId(), s.groupId());
    }

    private static DoubleRange fixed(Number n) {
        return n == null ? null : DoubleRange.of(n.doubleValue());
    }
}
