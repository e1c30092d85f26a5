package org.rtc4j.rtp.session;

import java.util.Objects;
import java.util.function.Supplier;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.payload.Depacketizer;
import org.rtc4j.rtp.payload.PayloadFormats;

/**
 * One incoming RTP stream the session expects, as negotiated: packets are bound to it by SSRC when signaled,
 * else by the MID and RID header extensions (RFC 9143 section 9.2, RFC 8852 section 4), else, for a stream marked
 * {@code unsignaled}, by payload type.
 *
 * @param mid            the media section's MID, or null
 * @param rid            the RID of a simulcast encoding, or null
 * @param ssrc           the signaled SSRC, or 0 when not signaled
 * @param codec          what it carries
 * @param payloadType    the negotiated payload type
 * @param rtxPayloadType the negotiated RTX payload type, -1 when none
 * @param unsignaled     whether an unknown SSRC without MID or RID may be bound to it by payload type
 * @param depacketizer   makes the stream's depacketizer
 */
public record ReceiveStreamConfig(String mid, String rid, int ssrc, Codec codec, int payloadType, int rtxPayloadType,
                                  boolean unsignaled, Supplier<Depacketizer> depacketizer) {

    public ReceiveStreamConfig {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(depacketizer, "depacketizer");
        if (payloadType < 0 || payloadType > 127 || rtxPayloadType < -1 || rtxPayloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + "/" + rtxPayloadType);
        }
    }

    /** A stream of a media section, bound by MID or as the unsignaled stream of its payload type. */
    public static ReceiveStreamConfig of(String mid, Codec codec, int payloadType, int rtxPayloadType) {
        return new ReceiveStreamConfig(mid, null, 0, codec, payloadType, rtxPayloadType, true,
                () -> PayloadFormats.depacketizer(codec));
    }

    public ReceiveStreamConfig withDepacketizer(Supplier<Depacketizer> d) {
        return new ReceiveStreamConfig(mid, rid, ssrc, codec, payloadType, rtxPayloadType, unsignaled, d);
    }

    public ReceiveStreamConfig withSsrc(int s) {
        return new ReceiveStreamConfig(mid, rid, s, codec, payloadType, rtxPayloadType, unsignaled, depacketizer);
    }
}
