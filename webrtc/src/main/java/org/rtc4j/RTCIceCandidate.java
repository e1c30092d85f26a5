package org.rtc4j;

import java.util.Objects;
import org.rtc4j.ice.IceCandidate;

/**
 * An ICE candidate (W3C section 4.8.1) as signaled: the {@code candidate:} line, the mid and m-line index of
 * its media section, and the ufrag of the ICE generation it belongs to; the typed fields are parsed from the
 * line.
 *
 * <p><b>End of candidates.</b> JavaScript signals the end of gathering with a {@code null} candidate. Here
 * {@code onIceCandidate} receives an {@code RTCIceCandidate} whose {@link #isEndOfCandidates()} is true
 * and whose {@link #candidate()} is the empty string: exactly what the specification's
 * {@code addIceCandidate({candidate: ""})} means, so passing it on to the peer's
 * {@link RTCPeerConnection#addIceCandidate} tells the peer that no more candidates will come.
 */
public final class RTCIceCandidate {

    private final String candidate;
    private final String sdpMid;
    private final Integer sdpMLineIndex;
    private final String usernameFragment;
    private final IceCandidate parsed;

    /**
     * @throws TypeError when both the mid and the m-line index are null for a non-empty candidate
     * @throws OperationError when the candidate line does not parse
     */
    public RTCIceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
        this.candidate = candidate == null ? "" : candidate.strip();
        this.sdpMid = sdpMid;
        this.sdpMLineIndex = sdpMLineIndex;
        this.usernameFragment = usernameFragment;
        if (this.candidate.isEmpty()) {
            this.parsed = null;
        } else {
            if (sdpMid == null && sdpMLineIndex == null) {
                throw new TypeError("a candidate needs sdpMid or sdpMLineIndex");
            }
            try {
                String line = this.candidate.startsWith("a=") ? this.candidate.substring(2) : this.candidate;
                this.parsed = IceCandidate.parse(line.startsWith("candidate:") ? line : "candidate:" + line);
            } catch (IllegalArgumentException e) {
                throw new OperationError("the candidate does not parse: " + e.getMessage(), e);
            }
        }
    }

    /** A candidate of the first media section ({@code sdpMid "0"}, index 0). */
    public static RTCIceCandidate of(String candidate) {
        return new RTCIceCandidate(candidate, "0", 0, null);
    }

    /** The end-of-candidates indication for the given media section and ICE generation. */
    public static RTCIceCandidate endOfCandidates(String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
        return new RTCIceCandidate("", sdpMid, sdpMLineIndex, usernameFragment);
    }

    static RTCIceCandidate of(IceCandidate c, String mid, String ufrag) {
        return new RTCIceCandidate(c.toSdp(), mid, 0, ufrag);
    }

    /** Whether this is the end-of-candidates indication (the specification's null or empty candidate). */
    public boolean isEndOfCandidates() {
        return candidate.isEmpty();
    }

    /** The {@code candidate:...} line (without {@code a=}); empty for the end of candidates. */
    public String candidate() {
        return candidate;
    }

    public String sdpMid() {
        return sdpMid;
    }

    public Integer sdpMLineIndex() {
        return sdpMLineIndex;
    }

    public String usernameFragment() {
        return usernameFragment;
    }

    IceCandidate iceCandidate() {
        return parsed;
    }

    public String foundation() {
        return parsed == null ? null : parsed.foundation();
    }

    public RTCIceComponent component() {
        return parsed == null ? null : parsed.component() == 1 ? RTCIceComponent.RTP : RTCIceComponent.RTCP;
    }

    public Long priority() {
        return parsed == null ? null : parsed.priority();
    }

    public String address() {
        return parsed == null ? null : parsed.address();
    }

    public RTCIceProtocol protocol() {
        return parsed == null ? null : RTCIceProtocol.of(parsed.transport().token());
    }

    public Integer port() {
        return parsed == null ? null : parsed.port();
    }

    public RTCIceCandidateType type() {
        return parsed == null ? null : RTCIceCandidateType.of(parsed.type().token());
    }

    public String tcpType() {
        return parsed == null || parsed.tcpType() == null ? null : parsed.tcpType().token();
    }

    public String relatedAddress() {
        return parsed == null ? null : parsed.relatedAddress();
    }

    public Integer relatedPort() {
        return parsed == null || parsed.relatedPort() < 0 ? null : parsed.relatedPort();
    }

    /** The JSON form JavaScript's {@code toJSON()} gives, for signaling. */
    public String toJson() {
        StringBuilder s = new StringBuilder("{\"candidate\":").append(org.rtc4j.internal.Json.quote(candidate));
        s.append(",\"sdpMid\":").append(sdpMid == null ? "null" : org.rtc4j.internal.Json.quote(sdpMid));
        s.append(",\"sdpMLineIndex\":").append(sdpMLineIndex == null ? "null" : sdpMLineIndex.toString());
        s.append(",\"usernameFragment\":").append(usernameFragment == null ? "null" : org.rtc4j.internal.Json.quote(usernameFragment));
        return s.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RTCIceCandidate c && c.candidate.equals(candidate) && Objects.equals(c.sdpMid, sdpMid)
                && Objects.equals(c.sdpMLineIndex, sdpMLineIndex) && Objects.equals(c.usernameFragment, usernameFragment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(candidate, sdpMid, sdpMLineIndex, usernameFragment);
    }

    @Override
    public String toString() {
        return isEndOfCandidates() ? "RTCIceCandidate[end-of-candidates]" : "RTCIceCandidate[" + candidate + "]";
    }
}
