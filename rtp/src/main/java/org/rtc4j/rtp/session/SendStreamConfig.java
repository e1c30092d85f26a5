package org.rtc4j.rtp.session;

import java.util.Objects;
import org.rtc4j.rtp.Codec;

/**
 * One outgoing RTP stream (an {@code RTCRtpEncodingParameters} on the wire).
 *
 * @param ssrc           the stream's SSRC
 * @param codec          what it carries
 * @param payloadType    the negotiated payload type
 * @param mid            the media section's MID, sent in the header extension when negotiated; null for none
 * @param rid            the encoding's RID (simulcast), null for none
 * @param rtxSsrc        the SSRC of its RTX stream (RFC 4588), used when {@code rtxPayloadType >= 0}
 * @param rtxPayloadType the negotiated RTX payload type, -1 when RTX is not negotiated (plain retransmission)
 */
public record SendStreamConfig(int ssrc, Codec codec, int payloadType, String mid, String rid, int rtxSsrc,
                               int rtxPayloadType) {

    public SendStreamConfig {
        Objects.requireNonNull(codec, "codec");
        if (payloadType < 0 || payloadType > 127 || rtxPayloadType < -1 || rtxPayloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + "/" + rtxPayloadType);
        }
        if (rtxPayloadType >= 0 && rtxSsrc == ssrc) {
            throw new IllegalArgumentException("RTX needs an SSRC of its own");
        }
    }

    /** A stream without RTX, MID or RID. */
    public static SendStreamConfig of(int ssrc, Codec codec, int payloadType) {
        return new SendStreamConfig(ssrc, codec, payloadType, null, null, 0, -1);
    }

    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }
}
