package org.rtc4j.media;

/** {@code MediaDeviceInfo.kind}; {@link #toString()} is the spec's string. */
public enum MediaDeviceKind {
    AUDIOINPUT("audioinput"),
    AUDIOOUTPUT("audiooutput"),
    VIDEOINPUT("videoinput");

    private final String w3c;

    MediaDeviceKind(String w3c) {
        this.w3c = w3c;
    }

    /** The input kind carrying {@code kind}. */
    public static MediaDeviceKind input(MediaKind kind) {
        return kind == MediaKind.AUDIO ? AUDIOINPUT : VIDEOINPUT;
    }

    @Override
    public String toString() {
        return w3c;
    }
}
