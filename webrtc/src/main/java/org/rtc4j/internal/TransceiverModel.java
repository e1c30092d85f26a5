package org.rtc4j.internal;

import java.util.List;
import java.util.Objects;
import org.rtc4j.rtp.session.SendStreamConfig;
import org.rtc4j.sdp.Direction;
import org.rtc4j.sdp.RtpCodecParameters;

/**
 * What the negotiation knows of one transceiver (W3C section 5.4, RFC 9429 section 4.2): its mid once
 * associated with an m= section, the direction asked for and the one negotiated, the SSRCs it sends with, its
 * track's ids, and what the last offer/answer settled (the codec and RTX payload type, the peer's streams).
 * The public {@code RTCRtpTransceiver} wraps it; loop-confined as the rest of the connection.
 */
public final class TransceiverModel {

    /** "audio" or "video". */
    public final String kind;
    /** The SSRC of its send stream and of that stream's RTX repair stream (RFC 4588). */
    public final int ssrc;
    public final int rtxSsrc;
    /** The mid of its m= section, null until an offer or answer associates one (JSEP section 4.2.1). */
    public String mid;
    public Direction direction;
    /** The direction the last offer/answer gave it from our side, null before (W3C: currentDirection). */
    public Direction currentDirection;
    public boolean stopped;
    /** setCodecPreferences; empty for the default order. */
    public List<RtpCodecParameters> codecPreferences = List.of();
    /**
     * The id of the track addTrack or addTransceiver gave it, null for none (W3C section 4.4.1.8: addTrack reuses
     * only a transceiver never given one; a rollback keeps one it was given); its streams, for a=msid (RFC 8830).
     */
    public String trackId;
    public List<String> streamIds = List.of();
    /** Settled by the last offer/answer: every codec both take (RTX aside), in order; the first, sent. */
    public List<RtpCodecParameters> codecs = List.of();
    /** The RTX formats negotiated with them (RFC 4588, apt the codec's payload type). */
    public List<RtpCodecParameters> rtxFormats = List.of();
    public RtpCodecParameters codec;
    public int rtxPayloadType = -1;
    /** The peer's streams for our receiver's track (its a=msid), and whether the track event fired. */
    public List<String> remoteStreamIds = List.of();
    public boolean remoteSending;
    /** The rid of the peer's simulcast stream that feeds the track (the first it lists), null without simulcast. */
    public String receiveRid;
    /** The send stream given to the media transport, null before: a later answer may change its codec. */
    SendStreamConfig sent;
    /** The payload types it has receive streams for (a later negotiation may add codecs). */
    final java.util.Set<Integer> receivePayloadTypes = new java.util.HashSet<>();

    public TransceiverModel(String kind, Direction direction, int ssrc, int rtxSsrc) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
    }

    /** The payload type of the RTX format for payload type {@code pt}, or -1. */
    public int rtxOf(int pt) {
        return rtxFormats.stream().filter(r -> r.apt() == pt).mapToInt(RtpCodecParameters::payloadType).findFirst()
                .orElse(-1);
    }

    /** Whether a received frame of this rid (null: none) feeds the receiver's track. */
    public boolean delivers(String rid) {
        return receiveRid == null || receiveRid.equals(rid);
    }

    /** Whether frames given to the sender go out now: negotiated to send, with a codec. */
    public boolean sending() {
        return !stopped && codec != null && currentDirection != null && currentDirection.sends();
    }
}
