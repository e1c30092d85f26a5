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

    /** Whether this end sends media in this direction. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether this end receives media in this direction. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction seen from the other end: sendonly and recvonly swap (RFC 3264 section 6.1). */
    public Direction reversed() {
        return of(receives(), sends());
    }

    /** The direction that sends and receives as both this and {@code other} allow. */
    public Direction intersect(Direction other) {
        return of(sends() && other.sends(), receives() && other.receives());
    }

    /**
     * The direction an answer gives a section that the offer gave {@code offered}, this being what the local
     * transceiver wants (RFC 3264 section 6.1, RFC 9429 section 5.3.1): it sends only what the offerer receives,
     * and receives only what the offerer sends.
     */
    public Direction answerTo(Direction offered) {
        return intersect(offered.reversed());
    }

    /** The direction with these abilities. */
    public static Direction of(boolean send, boolean receive) {
        return send ? (receive ? SENDRECV : SENDONLY) : (receive ? RECVONLY : INACTIVE);
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
