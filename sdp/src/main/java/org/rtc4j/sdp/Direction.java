package org.rtc4j.sdp;

import java.util.Optional;

/** The media direction attributes of RFC 8866 section 6.7 ({@code a=sendrecv}, ...). */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String sdp;

    Direction(String sdp) {
        this.sdp = sdp;
    }

    /** The attribute name. */
    public String sdpValue() {
        return sdp;
    }

    /** The direction an attribute name stands for, if it is one. */
    public static Optional<Direction> of(String attributeName) {
        for (Direction d : values()) {
            if (d.sdp.equals(attributeName)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
