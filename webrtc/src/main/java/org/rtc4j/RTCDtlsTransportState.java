package org.rtc4j;

/** The state of a DTLS transport (W3C section 5.5.1). */
public enum RTCDtlsTransportState {
    NEW("new"),
    CONNECTING("connecting"),
    CONNECTED("connected"),
    CLOSED("closed"),
    FAILED("failed");

    private final String value;

    RTCDtlsTransportState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCDtlsTransportState of(String value) {
        for (RTCDtlsTransportState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCDtlsTransportState");
    }

    @Override
    public String toString() {
        return value;
    }
}
