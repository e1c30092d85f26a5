package org.rtc4j.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One payload format of an RTP media section, gathered from its {@code m=} format, {@code a=rtpmap},
 * {@code a=fmtp} and {@code a=rtcp-fb} lines (RFC 8866 section 6.6, 6.15; RFC 4585 section 4.2). Named after
 * W3C {@code RTCRtpCodecParameters}; the name is the encoding name as written ({@code opus}, {@code VP8},
 * {@code rtx}) and compares without case, as media type names do.
 *
 * @param channels the channel count of an audio format (1 when the rtpmap leaves it out), 0 for video
 * @param parameters the {@code a=fmtp} parameters in the order written
 * @param rtcpFeedback the feedback the format takes, {@code a=rtcp-fb:*} lines included
 */
public record RtpCodecParameters(int payloadType, String name, int clockRate, int channels,
                                 Map<String, String> parameters, List<RtcpFeedback> rtcpFeedback) {

    public static final String RTX = "rtx";

    public RtpCodecParameters {
        Objects.requireNonNull(name, "name");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0 to 127: " + payloadType);
        }
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        rtcpFeedback = List.copyOf(rtcpFeedback);
    }

    /** A format without parameters or feedback. */
    public static RtpCodecParameters of(int payloadType, String name, int clockRate, int channels) {
        return new RtpCodecParameters(payloadType, name, clockRate, channels, Map.of(), List.of());
    }

    /** The W3C {@code mimeType}: {@code audio/opus}, {@code video/VP8}. */
    public String mimeType(String kind) {
        return kind + "/" + name;
    }

    /** Whether the encoding name is {@code name}, ignoring case. */
    public boolean is(String encodingName) {
        return name.equalsIgnoreCase(encodingName);
    }

    /** Whether this is an RTX repair format (RFC 4588 section 8.6). */
    public boolean isRtx() {
        return is(RTX);
    }

    /** The payload type this RTX format repairs ({@code apt}, RFC 4588 section 8.6), or -1. */
    public int apt() {
        String v = parameter("apt");
        if (v == null || v.isEmpty() || v.length() > 3 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int pt = Integer.parseInt(v);
        return pt <= 127 ? pt : -1;
    }

    /** The value of fmtp parameter {@code name}, whatever its case, or null. */
    public String parameter(String name) {
        return Fmtp.get(parameters, name);
    }

    /** The {@code a=fmtp} parameters as one string (W3C {@code sdpFmtpLine}), empty when there are none. */
    public String sdpFmtpLine() {
        return Fmtp.format(parameters);
    }

    /** A copy with another payload type. */
    public RtpCodecParameters withPayloadType(int pt) {
        return new RtpCodecParameters(pt, name, clockRate, channels, parameters, rtcpFeedback);
    }

    /** A copy with other fmtp parameters. */
    public RtpCodecParameters withParameters(Map<String, String> newParameters) {
        return new RtpCodecParameters(payloadType, name, clockRate, channels, newParameters, rtcpFeedback);
    }

    /** A copy with other feedback. */
    public RtpCodecParameters withFeedback(List<RtcpFeedback> feedback) {
        return new RtpCodecParameters(payloadType, name, clockRate, channels, parameters, feedback);
    }

    /** The {@code a=rtpmap} of this format; channels are written only when more than one, as browsers do. */
    public RtpMap rtpMap() {
        return new RtpMap(payloadType, name, clockRate, channels > 1 ? channels : 0);
    }

    /** The formats RFC 3551 section 6 assigns statically, used when a section lists them without an rtpmap. */
    static RtpCodecParameters staticFormat(int pt) {
        return switch (pt) {
            case 0 -> of(0, "PCMU", 8000, 1);
            case 8 -> of(8, "PCMA", 8000, 1);
            case 9 -> of(9, "G722", 8000, 1);
            case 13 -> of(13, "CN", 8000, 1);
            case 18 -> of(18, "G729", 8000, 1);
            default -> null;
        };
    }

    /** Name, clock rate and channels as a key: {@code opus/48000/2}. */
    String key() {
        return name.toLowerCase(Locale.ROOT) + "/" + clockRate + "/" + channels;
    }
}
