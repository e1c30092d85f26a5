package org.rtc4j;

/** The ICE gathering state of the connection (W3C section 4.3.2). */
public enum RTCIceGatheringState {
    NEW("new"),
    GATHERING("gathering"),
    COMPLETE("complete");

    private final String value;

    RTCIceGatheringState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceGatheringState of(String value) {
        for (RTCIceGatheringState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceGatheringState");
    }

    @Override
    public String toString() {
        return value;
    }
}
