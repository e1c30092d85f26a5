package org.rtc4j;

/** Which candidates ICE may use (W3C section 4.2.5): all, or relayed ones only. */
public enum RTCIceTransportPolicy {
    RELAY("relay"),
    ALL("all");

    private final String value;

    RTCIceTransportPolicy(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceTransportPolicy of(String value) {
        for (RTCIceTransportPolicy v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceTransportPolicy");
    }

    @Override
    public String toString() {
        return value;
    }
}
