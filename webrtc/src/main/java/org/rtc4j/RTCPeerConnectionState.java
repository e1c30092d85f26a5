package org.rtc4j;

/** The aggregate state of the connection's ICE and DTLS transports (W3C section 4.3.3). */
public enum RTCPeerConnectionState {
    CLOSED("closed"),
    FAILED("failed"),
    DISCONNECTED("disconnected"),
    NEW("new"),
    CONNECTING("connecting"),
    CONNECTED("connected");

    private final String value;

    RTCPeerConnectionState(String value) {
        this.value = value;
    }

    /** The specification's string value. */
    public String value() {
        return value;
    }

    /** The constant for the specification's string value. */
    public static RTCPeerConnectionState of(String value) {
        for (RTCPeerConnectionState v : values()) {
            if (v.value.equals(value)) {
                return v;
            }
        }
        throw new TypeError("'" + value + "' is not a valid RTCPeerConnectionState");
    }

    @Override
    public String toString() {
        return value;
    }
}
