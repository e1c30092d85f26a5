package org.rtc4j;

import java.util.Objects;

/**
 * A session description (W3C section 4.7.2): its type and the SDP text (CRLF line endings). A rollback has
 * an empty SDP.
 */
public record RTCSessionDescription(RTCSdpType type, String sdp) {

    public RTCSessionDescription {
        Objects.requireNonNull(type, "type");
        sdp = sdp == null ? "" : sdp;
    }

    public static RTCSessionDescription offer(String sdp) {
        return new RTCSessionDescription(RTCSdpType.OFFER, sdp);
    }

    public static RTCSessionDescription answer(String sdp) {
        return new RTCSessionDescription(RTCSdpType.ANSWER, sdp);
    }

    public static RTCSessionDescription rollback() {
        return new RTCSessionDescription(RTCSdpType.ROLLBACK, "");
    }
}
