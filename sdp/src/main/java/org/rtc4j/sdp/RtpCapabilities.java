package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload formats and header extensions one end can use for a kind of media (W3C
 * {@code RTCRtpCapabilities}), each codec with the payload type it gets in our offers. The defaults are what
 * rtc4j offers, in the order and with the payload types and parameters Chromium uses, so that a browser
 * answering us meets the formats it knows where it expects them.
 *
 * @param codecs in order of preference, each video codec followed by its RTX format ({@code apt})
 * @param headerExtensions with the ids our offers give them; one id means one URI across kinds (RFC 8843 section 9.2)
 */
public record RtpCapabilities(List<RtpCodecParameters> codecs, List<HeaderExtension> headerExtensions) {

    public RtpCapabilities {
        codecs = List.copyOf(codecs);
        headerExtensions = List.copyOf(headerExtensions);
    }

    private static final List<RtcpFeedback> VIDEO_FEEDBACK = List.of(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC,
            RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);

    /**
     * Opus 111 ({@code minptime=10;useinbandfec=1}, transport-cc), G.722 9, PCMU 0, PCMA 8, telephone-event
     * 110 at 48 kHz and 126 at 8 kHz (RFC 4733); audio level, abs-send-time, transport-wide-cc and mid.
     */
    public static RtpCapabilities defaultAudio() {
        List<RtpCodecParameters> c = List.of(
                new RtpCodecParameters(111, "opus", 48_000, 2, params("minptime", "10", "useinbandfec", "1"),
                        List.of(RtcpFeedback.TRANSPORT_CC)),
                RtpCodecParameters.of(9, "G722", 8000, 1),
                RtpCodecParameters.of(0, "PCMU", 8000, 1),
                RtpCodecParameters.of(8, "PCMA", 8000, 1),
                RtpCodecParameters.of(110, "telephone-event", 48_000, 1),
                RtpCodecParameters.of(126, "telephone-event", 8000, 1));
        return new RtpCapabilities(c, List.of(new HeaderExtension(1, HeaderExtension.AUDIO_LEVEL),
                new HeaderExtension(2, HeaderExtension.ABS_SEND_TIME), new HeaderExtension(3, HeaderExtension.TRANSPORT_CC),
                new HeaderExtension(4, HeaderExtension.SDES_MID),
                new HeaderExtension(12, HeaderExtension.CSRC_AUDIO_LEVEL, Direction.RECVONLY, "")));
    }

    /**
     * VP8 96; H.264 with packetization-mode 1 and 0 for each of 42001f, 42e01f, 4d001f and 640034 (with
     * level-asymmetry-allowed=1); AV1 45; VP9 profile 0 (98) and 2 (100); H.265 49; each with an RTX format and
     * the feedback Chromium gives video (goog-remb, transport-cc, ccm fir, nack, nack pli); abs-send-time,
     * transport-wide-cc, mid, rid, repaired rid and toffset. Not video orientation (CVO, 3GPP TS 26.114 section
     * 7.4.5): nothing here rotates received pictures, and a sender that has it negotiated sends them unrotated
     * with the rotation in the extension (a phone held upright would arrive, and be recorded, sideways); without
     * it the sender rotates the pictures itself.
     */
    public static RtpCapabilities defaultVideo() {
        List<RtpCodecParameters> c = new ArrayList<>();
        video(c, 96, 97, "VP8", Map.of());
        int[][] h264 = {{102, 103}, {104, 107}, {108, 109}, {114, 115}, {116, 117}, {39, 40}, {112, 113}, {123, 124}};
        String[] profiles = {"42001f", "42e01f", "4d001f", "640034"};
        for (int i = 0; i < h264.length; i++) {
            video(c, h264[i][0], h264[i][1], "H264", params("level-asymmetry-allowed", "1",
                    "packetization-mode", i % 2 == 0 ? "1" : "0", "profile-level-id", profiles[i / 2]));
        }
        video(c, 45, 46, "AV1", params("level-idx", "5", "profile", "0", "tier", "0"));
        video(c, 98, 99, "VP9", params("profile-id", "0"));
        video(c, 100, 101, "VP9", params("profile-id", "2"));
        video(c, 49, 50, "H265", params("level-id", "93", "profile-id", "1", "tier-flag", "0", "tx-mode", "SRST"));
        return new RtpCapabilities(c, List.of(new HeaderExtension(2, HeaderExtension.ABS_SEND_TIME),
                new HeaderExtension(3, HeaderExtension.TRANSPORT_CC), new HeaderExtension(4, HeaderExtension.SDES_MID),
                new HeaderExtension(10, HeaderExtension.RTP_STREAM_ID),
                new HeaderExtension(11, HeaderExtension.REPAIRED_RTP_STREAM_ID),
                new HeaderExtension(14, HeaderExtension.TOFFSET)));
    }

    /** The defaults for {@code audio} or {@code video}; none for another kind. */
    public static RtpCapabilities defaults(String kind) {
        return switch (kind) {
            case "audio" -> defaultAudio();
            case "video" -> defaultVideo();
            default -> new RtpCapabilities(List.of(), List.of());
        };
    }

    private static void video(List<RtpCodecParameters> out, int pt, int rtxPt, String name, Map<String, String> fmtp) {
        out.add(new RtpCodecParameters(pt, name, 90_000, 0, fmtp, VIDEO_FEEDBACK));
        out.add(new RtpCodecParameters(rtxPt, RtpCodecParameters.RTX, 90_000, 0, Map.of("apt", Integer.toString(pt)), List.of()));
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A copy with the codecs in another order or fewer (see {@link CodecNegotiation#preferences}). */
    public RtpCapabilities withCodecs(List<RtpCodecParameters> newCodecs) {
        return new RtpCapabilities(newCodecs, headerExtensions);
    }
}
