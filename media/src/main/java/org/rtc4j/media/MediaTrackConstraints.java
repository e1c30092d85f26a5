package org.rtc4j.media;

import java.util.List;

/**
 * Constraints on one track (the spec's {@code MediaTrackConstraints}): a basic set, whose required members must
 * all hold and whose ideal members rank the choices, and {@code advanced} sets, tried in order, each kept only if
 * it can be met together with everything before it. In an advanced set every given value is required (the spec
 * treats its bare values as exact): rtc4j reads an advanced {@code ideal} as {@code exact}.
 *
 * <pre>{@code
 * MediaTrackConstraints.none().width(ConstrainDouble.ideal(1280)).frameRate(ConstrainDouble.min(15))
 * }</pre>
 */
public record MediaTrackConstraints(MediaTrackConstraintSet basic, List<MediaTrackConstraintSet> advanced) {

    private static final MediaTrackConstraints NONE = new MediaTrackConstraints(MediaTrackConstraintSet.NONE,
            List.of());

    public MediaTrackConstraints {
        java.util.Objects.requireNonNull(basic, "basic");
        advanced = List.copyOf(advanced);
    }

    /** No constraints: any device of the kind, in its default settings ({@code audio: true}). */
    public static MediaTrackConstraints none() {
        return NONE;
    }

    public MediaTrackConstraints advanced(MediaTrackConstraintSet... sets) {
        return new MediaTrackConstraints(basic, List.of(sets));
    }

    public MediaTrackConstraints width(ConstrainDouble c) {
        return new MediaTrackConstraints(basic.width(c), advanced);
    }

    public MediaTrackConstraints height(ConstrainDouble c) {
        return new MediaTrackConstraints(basic.height(c), advanced);
    }

    public MediaTrackConstraints aspectRatio(ConstrainDouble c) {
        return new MediaTrackConstraints(basic.aspectRatio(c), advanced);
    }

    public MediaTrackConstraints frameRate(ConstrainDouble c) {
        return new MediaTrackConstraints(basic.frameRate(c), advanced);
    }

    public MediaTrackConstraints sampleRate(ConstrainDouble c) {
        return new MediaTrackConstraints(basic.sampleRate(c), advanced);
    }

    public MediaTrackConstraints sampleSize(ConstrainDouble c) {
        return new MediaTrackConstraints(basic.sampleSize(c), advanced);
    }

    public MediaTrackConstraints channelCount(ConstrainDouble c) {
        return new MediaTrackConstraints(basic.channelCount(c), advanced);
    }

    public MediaTrackConstraints deviceId(ConstrainDOMString c) {
        return new MediaTrackConstraints(basic.deviceId(c), advanced);
    }

    /** {@code deviceId: {exact: id}}, the usual way to ask for one device. */
    public MediaTrackConstraints deviceId(String exactId) {
        return deviceId(ConstrainDOMString.exact(exactId));
    }

    public MediaTrackConstraints groupId(ConstrainDOMString c) {
        return new MediaTrackConstraints(basic.groupId(c), advanced);
    }

    public MediaTrackConstraints echoCancellation(ConstrainBoolean c) {
        return new MediaTrackConstraints(basic.echoCancellation(c), advanced);
    }
}
