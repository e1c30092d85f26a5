package org.rtc4j;

/** The ICE connection state of the connection (W3C section 4.3.4). */
public enum RTCIceConnectionState {
    CLOSED("closed"),
    FAILED("failed"),
    DISCONNECTED("disconnected"),
    NEW("new"),
    CHECKING("checking"),
    COMPLETED("completed"),
    CONNECTED("connected");

    private final String value;

    RTCIceConnectionState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceConnectionState of(String value) {
        for (RTCIceConnectionState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceConnectionState");
    }

    @Override
    public String toString() {
        return value;
    }
}
