package org.rtc4j.media;

/**
 * Which constraints rtc4j understands ({@code MediaDevices.getSupportedConstraints()}). Echo cancellation is not
 * implemented, so {@code echoCancellation} is false and that constraint is ignored, as the spec says for
 * constraints a user agent does not support.
 */
public record MediaTrackSupportedConstraints(boolean width, boolean height, boolean aspectRatio, boolean frameRate,
                                             boolean sampleRate, boolean sampleSize, boolean channelCount,
                                             boolean deviceId, boolean groupId, boolean echoCancellation) {

    /** rtc4j's set. */
    public static final MediaTrackSupportedConstraints RTC4J =
            new MediaTrackSupportedConstraints(true, true, true, true, true, true, true, true, true, false);
}
