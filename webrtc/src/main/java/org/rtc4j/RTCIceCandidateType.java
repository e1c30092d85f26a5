package org.rtc4j;

/** The type of a candidate (W3C section 4.8.1.4). */
public enum RTCIceCandidateType {
    HOST("host"),
    SRFLX("srflx"),
    PRFLX("prflx"),
    RELAY("relay");

    private final String value;

    RTCIceCandidateType(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceCandidateType of(String value) {
        for (RTCIceCandidateType v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceCandidateType");
    }

    @Override
    public String toString() {
        return value;
    }
}
