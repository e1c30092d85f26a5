package org.rtc4j.media;

/** {@code MediaStreamTrack.kind}: what a track, source or device carries. {@link #toString()} is the spec's string. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video");

    private final String w3c;

    MediaKind(String w3c) {
        this.w3c = w3c;
    }

    /** {@code "audio"} or {@code "video"}, as in the specification. */
    @Override
    public String toString() {
        return w3c;
    }
}
