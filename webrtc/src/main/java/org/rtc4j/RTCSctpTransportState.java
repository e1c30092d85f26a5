package org.rtc4j;

/** The state of the SCTP transport (W3C section 6.1.2). */
public enum RTCSctpTransportState {
    CONNECTING("connecting"),
    CONNECTED("connected"),
    CLOSED("closed");

    private final String value;

    RTCSctpTransportState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCSctpTransportState of(String value) {
        for (RTCSctpTransportState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCSctpTransportState");
    }

    @Override
    public String toString() {
        return value;
    }
}
