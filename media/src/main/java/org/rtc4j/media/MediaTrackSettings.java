package org.rtc4j.media;

/**
 * What a track actually runs at (the spec's {@code MediaTrackSettings}); members that do not apply to the
 * track's kind are {@code null}. {@code echoCancellation} is never reported: rtc4j does not implement it.
 */
public record MediaTrackSettings(Integer width, Integer height, Double aspectRatio, Double frameRate,
                                 Integer sampleRate, Integer sampleSize, Integer channelCount, String deviceId,
                                 String groupId) {

    /** Video settings; the aspect ratio follows from the size. */
    public static MediaTrackSettings video(int width, int height, double frameRate, String deviceId,
                                           String groupId) {
        return new MediaTrackSettings(width, height, (double) width / height, frameRate, null, null, null,
                deviceId, groupId);
    }

    /** Audio settings, 16-bit samples. */
    public static MediaTrackSettings audio(int sampleRate, int channelCount, String deviceId, String groupId) {
        return new MediaTrackSettings(null, null, null, null, sampleRate, 16, channelCount, deviceId, groupId);
    }
}
