package org.rtc4j;

/** The signaling state (W3C section 4.3.1). */
public enum RTCSignalingState {
    STABLE("stable"),
    HAVE_LOCAL_OFFER("have-local-offer"),
    HAVE_REMOTE_OFFER("have-remote-offer"),
    HAVE_LOCAL_PRANSWER("have-local-pranswer"),
    HAVE_REMOTE_PRANSWER("have-remote-pranswer"),
    CLOSED("closed");

    private final String value;

    RTCSignalingState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCSignalingState of(String value) {
        for (RTCSignalingState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCSignalingState");
    }

    @Override
    public String toString() {
        return value;
    }
}
