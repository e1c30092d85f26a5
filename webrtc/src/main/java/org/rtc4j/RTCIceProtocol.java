package org.rtc4j;

/** The transport protocol of a candidate (W3C section 4.8.1.2). */
public enum RTCIceProtocol {
    UDP("udp"),
    TCP("tcp");

    private final String value;

    RTCIceProtocol(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceProtocol of(String value) {
        for (RTCIceProtocol v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceProtocol");
    }

    @Override
    public String toString() {
        return value;
    }
}
