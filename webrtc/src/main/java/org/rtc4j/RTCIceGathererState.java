package org.rtc4j;

/** The gathering state of an ICE transport (W3C section 5.6.2). */
public enum RTCIceGathererState {
    NEW("new"),
    GATHERING("gathering"),
    COMPLETE("complete");

    private final String value;

    RTCIceGathererState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceGathererState of(String value) {
        for (RTCIceGathererState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceGathererState");
    }

    @Override
    public String toString() {
        return value;
    }
}
