package org.rtc4j;

/** The ICE component (W3C section 4.8.1.6); with rtcp-mux and BUNDLE only rtp is used. */
public enum RTCIceComponent {
    RTP("rtp"),
    RTCP("rtcp");

    private final String value;

    RTCIceComponent(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCIceComponent of(String value) {
        for (RTCIceComponent v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCIceComponent");
    }

    @Override
    public String toString() {
        return value;
    }
}
