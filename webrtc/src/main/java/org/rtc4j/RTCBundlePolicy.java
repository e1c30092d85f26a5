package org.rtc4j;

/** How media sections are bundled (W3C section 4.2.6); data channels use one transport whatever the policy. */
public enum RTCBundlePolicy {
    BALANCED("balanced"),
    MAX_COMPAT("max-compat"),
    MAX_BUNDLE("max-bundle");

    private final String value;

    RTCBundlePolicy(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCBundlePolicy of(String value) {
        for (RTCBundlePolicy v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCBundlePolicy");
    }

    @Override
    public String toString() {
        return value;
    }
}
