package org.rtc4j;

/** The state of a data channel (W3C section 6.2). */
public enum RTCDataChannelState {
    CONNECTING("connecting"),
    OPEN("open"),
    CLOSING("closing"),
    CLOSED("closed");

    private final String value;

    RTCDataChannelState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCDataChannelState of(String value) {
        for (RTCDataChannelState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCDataChannelState");
    }

    @Override
    public String toString() {
        return value;
    }
}
