package org.rtc4j.media;

/**
 * One set of constraints on a track (the spec's {@code MediaTrackConstraintSet}), each {@code null} when not
 * constrained. Video: width, height, aspectRatio, frameRate. Audio: sampleRate, sampleSize, channelCount,
 * echoCancellation (which rtc4j does not support: {@link MediaTrackSupportedConstraints} says so, and the
 * selection ignores it as the spec says for unsupported constraints). Both: deviceId, groupId.
 */
public record MediaTrackConstraintSet(ConstrainDouble width, ConstrainDouble height, ConstrainDouble aspectRatio,
                                      ConstrainDouble frameRate, ConstrainDouble sampleRate,
                                      ConstrainDouble sampleSize, ConstrainDouble channelCount,
                                      ConstrainDOMString deviceId, ConstrainDOMString groupId,
                                      ConstrainBoolean echoCancellation) {

    /** No constraint at all. */
    public static final MediaTrackConstraintSet NONE =
            new MediaTrackConstraintSet(null, null, null, null, null, null, null, null, null, null);

    public MediaTrackConstraintSet width(ConstrainDouble c) {
        return new MediaTrackConstraintSet(c, height, aspectRatio, frameRate, sampleRate, sampleSize, channelCount,
                deviceId, groupId, echoCancellation);
    }

    public MediaTrackConstraintSet height(ConstrainDouble c) {
        return new MediaTrackConstraintSet(width, c, aspectRatio, frameRate, sampleRate, sampleSize, channelCount,
                deviceId, groupId, echoCancellation);
    }

    public MediaTrackConstraintSet aspectRatio(ConstrainDouble c) {
        return new MediaTrackConstraintSet(width, height, c, frameRate, sampleRate, sampleSize, channelCount,
                deviceId, groupId, echoCancellation);
    }

    public MediaTrackConstraintSet frameRate(ConstrainDouble c) {
        return new MediaTrackConstraintSet(width, height, aspectRatio, c, sampleRate, sampleSize, channelCount,
                deviceId, groupId, echoCancellation);
    }

    public MediaTrackConstraintSet sampleRate(ConstrainDouble c) {
        return new MediaTrackConstraintSet(width, height, aspectRatio, frameRate, c, sampleSize, channelCount,
                deviceId, groupId, echoCancellation);
    }

    public MediaTrackConstraintSet sampleSize(ConstrainDouble c) {
        return new MediaTrackConstraintSet(width, height, aspectRatio, frameRate, sampleRate, c, channelCount,
                deviceId, groupId, echoCancellation);
    }

    public MediaTrackConstraintSet channelCount(ConstrainDouble c) {
        return new MediaTrackConstraintSet(width, height, aspectRatio, frameRate, sampleRate, sampleSize, c,
                deviceId, groupId, echoCancellation);
    }

    public MediaTrackConstraintSet deviceId(ConstrainDOMString c) {
        return new MediaTrackConstraintSet(width, height, aspectRatio, frameRate, sampleRate, sampleSize,
                channelCount, c, groupId, echoCancellation);
    }

    public MediaTrackConstraintSet groupId(ConstrainDOMString c) {
        return new MediaTrackConstraintSet(width, height, aspectRatio, frameRate, sampleRate, sampleSize,
                channelCount, deviceId, c, echoCancellation);
    }

    public MediaTrackConstraintSet echoCancellation(ConstrainBoolean c) {
        return new MediaTrackConstraintSet(width, height, aspectRatio, frameRate, sampleRate, sampleSize,
                channelCount, deviceId, groupId, c);
    }
}
