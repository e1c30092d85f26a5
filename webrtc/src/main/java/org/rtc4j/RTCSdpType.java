package org.rtc4j;

/** The type of a session description (W3C section 4.7.1). */
public enum RTCSdpType {
    OFFER("offer"),
    PRANSWER("pranswer"),
    ANSWER("answer"),
    ROLLBACK("rollback");

    private final String value;

    RTCSdpType(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCSdpType of(String value) {
        for (RTCSdpType v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCSdpType");
    }

    @Override
    public String toString() {
        return value;
    }
}
