package org.rtc4j;

import org.rtc4j.sdp.Direction;

/** {@code RTCRtpTransceiverDirection} (W3C section 5.4): what a transceiver sends and receives. */
public enum RTCRtpTransceiverDirection {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive"),
    STOPPED("stopped");

    private final String value;

    RTCRtpTransceiverDirection(String value) {
        this.value = value;
    }

    /** The spec's string. */
    public String value() {
        return value;
    }

    Direction toSdp() {
        return switch (this) {
            case SENDRECV -> Direction.SENDRECV;
            case SENDONLY -> Direction.SENDONLY;
            case RECVONLY -> Direction.RECVONLY;
            case INACTIVE, STOPPED -> Direction.INACTIVE;
        };
    }

    static RTCRtpTransceiverDirection of(Direction d) {
        return d == null ? null : switch (d) {
            case SENDRECV -> SENDRECV;
            case SENDONLY -> SENDONLY;
            case RECVONLY -> RECVONLY;
            case INACTIVE -> INACTIVE;
        };
    }

    @Override
    public String toString() {
        return value;
    }
}
