package org.rtc4j;

/** The state of an ICE transport (W3C section 5.6.3). */
public enum RTCIceTransportState {
    NEW("new"),
    CHECKING("checking"),
    CONNECTED("connected"),
    COMPLETED("completed"),
    DISCONNECTED("disconnected"),
    FAILED("failed"),
    CLOSED("closed");

    private final String value;

    RTCIceTransportState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceTransportState of(String value) {
        for (RTCIceTransportState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceTransportState");
    }

    @Override
    public String toString() {
        return value;
    }
}
