package org.rtc4j.rtp;

/**
 * The codecs rtc4j knows by name, with their media type (RFC 6838 names as in SDP's {@code a=rtpmap} and the
 * W3C {@code RTCRtpCodec.mimeType}) and RTP clock rate. What a codec is called on the wire; whether rtc4j can
 * encode or decode it is up to the media module.
 */
public enum Codec {
    /** RFC 7587: always 48 kHz on the wire, whatever the audio's own rate. */
    OPUS("audio/opus", 48_000, false),
    /** G.711 µ-law (RFC 3551). */
    PCMU("audio/PCMU", 8_000, false),
    /** G.711 A-law (RFC 3551). */
    PCMA("audio/PCMA", 8_000, false),
    /** RFC 3551 section 4.5.2: the RTP clock is 8 kHz although G.722 samples at 16 kHz. */
    G722("audio/G722", 8_000, false),
    /** RFC 4733 DTMF events. */
    TELEPHONE_EVENT("audio/telephone-event", 8_000, false),
    VP8("video/VP8", 90_000, true),
    VP9("video/VP9", 90_000, true),
    H264("video/H264", 90_000, true),
    H265("video/H265", 90_000, true),
    AV1("video/AV1", 90_000, true);

    private final String mimeType;
    private final int clockRate;
    private final boolean video;

    Codec(String mimeType, int clockRate, boolean video) {
        this.mimeType = mimeType;
        this.clockRate = clockRate;
        this.video = video;
    }

    /** As in {@code RTCRtpCodec.mimeType}: {@code "video/VP8"}. */
    public String mimeType() {
        return mimeType;
    }

    /** The encoding name of {@code a=rtpmap}: {@code "VP8"}. */
    public String encodingName() {
        return mimeType.substring(mimeType.indexOf('/') + 1);
    }

    /** Ticks per second of the RTP timestamp. */
    public int clockRate() {
        return clockRate;
    }

    public boolean isVideo() {
        return video;
    }

    /** The codec of an SDP encoding name or a mime type, case-insensitively, or {@code null}. */
    public static Codec byName(String name) {
        String n = name.substring(name.indexOf('/') + 1);
        for (Codec c : values()) {
            if (c.encodingName().equalsIgnoreCase(n)) {
                return c;
            }
        }
        return null;
    }
}
