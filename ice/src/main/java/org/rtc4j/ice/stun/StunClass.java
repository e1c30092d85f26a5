package org.rtc4j.ice.stun;

/** The class of a STUN message (RFC 8489 section 5): two bits spread over the message type. */
public enum StunClass {
    REQUEST,
    INDICATION,
    SUCCESS_RESPONSE,
    ERROR_RESPONSE;

    private static final StunClass[] BY_BITS = values();

    /** The two class bits C1 C0 as a number 0..3. */
    int bits() {
        return ordinal();
    }

    static StunClass ofBits(int bits) {
        return BY_BITS[bits & 3];
    }

    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }
}
