package org.rtc4j;

import java.util.Objects;
import org.rtc4j.sdp.RtpCodecParameters;

/**
 * {@code RTCRtpCodec} (W3C section 5.2): a codec as capabilities and parameters name it.
 *
 * @param mimeType    {@code audio/opus}, {@code video/VP8}, {@code video/rtx}...
 * @param channels    audio channels, 0 for video
 * @param sdpFmtpLine the a=fmtp parameters, or "" for none
 */
public record RTCRtpCodec(String mimeType, int clockRate, int channels, String sdpFmtpLine) {

    public RTCRtpCodec {
        Objects.requireNonNull(mimeType, "mimeType");
        sdpFmtpLine = sdpFmtpLine == null ? "" : sdpFmtpLine;
    }

    static RTCRtpCodec of(String kind, RtpCodecParameters p) {
        return new RTCRtpCodec(p.mimeType(kind), p.clockRate(), "audio".equals(kind) ? p.channels() : 0,
                p.sdpFmtpLine());
    }

    /** Whether {@code p} is this codec (mime type, clock rate, channels and parameters). */
    boolean matches(String kind, RtpCodecParameters p) {
        return mimeType.equalsIgnoreCase(p.mimeType(kind)) && clockRate == p.clockRate()
                && ("video".equals(kind) || channels == p.channels()) && sdpFmtpLine.equals(p.sdpFmtpLine());
    }
}
