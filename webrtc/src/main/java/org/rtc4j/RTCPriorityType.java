package org.rtc4j;

/** The priority of a data channel (W3C WebRTC Priority Control). */
public enum RTCPriorityType {
    VERY_LOW("very-low"),
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high");

    private final String value;

    RTCPriorityType(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCPriorityType of(String value) {
        for (RTCPriorityType v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCPriorityType");
    }

    @Override
    public String toString() {
        return value;
    }
}
