package org.rtc4j.media;

/** {@code MediaStreamTrack.readyState}; {@link #toString()} is the spec's string. */
public enum MediaStreamTrackState {
    LIVE("live"),
    ENDED("ended");

    private final String w3c;

    MediaStreamTrackState(String w3c) {
        this.w3c = w3c;
    }

    @Override
    public String toString() {
        return w3c;
    }
}
