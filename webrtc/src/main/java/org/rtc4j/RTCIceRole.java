package org.rtc4j;

/** The ICE role (W3C section 5.6.4). */
public enum RTCIceRole {
    UNKNOWN("unknown"),
    CONTROLLING("controlling"),
    CONTROLLED("controlled");

    private final String value;

    RTCIceRole(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceRole of(String value) {
        for (RTCIceRole v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceRole");
    }

    @Override
    public String toString() {
        return value;
    }
}
