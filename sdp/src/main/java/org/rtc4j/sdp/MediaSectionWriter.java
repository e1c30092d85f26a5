package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one audio or video section in the layout Chromium uses (RFC 9429 section 5.2.1):
 *
 * <pre>
 * m=video 9 UDP/TLS/RTP/SAVPF 96 97
 * c=IN IP4 0.0.0.0
 * a=ice-ufrag:... (the transport attributes)
 * a=mid:1
 * a=bundle-only (an offer's bundled section, with port 0)
 * a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
 * a=sendrecv
 * a=msid:stream track
 * a=rtcp-mux
 * a=rtcp-rsize
 * a=rtpmap:96 VP8/90000
 * a=rtcp-fb:96 nack
 * a=fmtp:97 apt=96 (each format: rtpmap, rtcp-fb, fmtp)
 * a=ssrc-group:FID 1111 2222
 * a=ssrc:1111 cname:... / a=ssrc:1111 msid:stream track (and the same for 2222)
 * a=rid:h recv / a=simulcast:recv h;l (accepting an offer's simulcast)
 * </pre>
 */
final class MediaSectionWriter {

    /** The proto of RTP over DTLS-SRTP with feedback (RFC 5764 section 9, RFC 9429 section 5.1.2). */
    static final String PROTO = "UDP/TLS/RTP/SAVPF";

    private MediaSectionWriter() {
    }

    /**
     * An accepted section; {@code transport} writes the ICE and DTLS lines; {@code allowMixed} writes a media-level
     * {@code a=extmap-allow-mixed} (an answer to an offer that allowed mixing in this section only, RFC 8285 section 6).
     */
    static void write(SdpBuilder b, TransceiverSection s, String proto, int port, Connection c, Runnable transport,
            boolean bundleOnly, boolean allowMixed) {
        List<String> formats = new ArrayList<>();
        for (RtpCodecParameters codec : s.codecs()) {
            formats.add(Integer.toString(codec.payloadType()));
        }
        b.line('m', new MediaLine(s.kind(), port, 0, proto, formats).toString());
        b.line('c', c.toString());
        transport.run();
        b.attribute("mid", s.mid());
        b.flag("bundle-only", bundleOnly);
        b.flag("extmap-allow-mixed", allowMixed);
        for (HeaderExtension e : s.headerExtensions()) {
            b.attribute("extmap", e.toString());
        }
        b.attribute(s.direction().sdpValue());
        boolean sends = s.direction().sends();
        if (sends) {
            for (Msid m : s.msids()) {
                b.attribute("msid", m.toString());
            }
        }
        // RFC 8843 section 9.3 and RFC 9429 section 5.2.1: always RTP/RTCP multiplexing, reduced-size RTCP allowed.
        b.attribute("rtcp-mux");
        b.attribute("rtcp-rsize");
        for (RtpCodecParameters codec : s.codecs()) {
            b.attribute("rtpmap", codec.rtpMap().toString());
            for (RtcpFeedback f : codec.rtcpFeedback()) {
                b.attribute("rtcp-fb", codec.payloadType() + " " + f);
            }
            if (!codec.parameters().isEmpty()) {
                b.attribute("fmtp", new Fmtp(Integer.toString(codec.payloadType()), codec.parameters()).toString());
            }
        }
        if (sends) {
            ssrcs(b, s);
        }
        for (Rid r : s.rids()) {
            b.attribute("rid", r.toString());
        }
        if (s.simulcast() != null) {
            b.attribute("simulcast", s.simulcast().toString());
        }
    }

    private static void ssrcs(SdpBuilder b, TransceiverSection s) {
        for (TransceiverSection.SendStream st : s.sendStreams()) {
            if (st.rtxSsrc() >= 0) {
                b.attribute("ssrc-group", new Ssrc.Group(Ssrc.Group.FID, List.of(st.ssrc(), st.rtxSsrc())).toString());
            }
        }
        for (TransceiverSection.SendStream st : s.sendStreams()) {
            for (long ssrc : st.rtxSsrc() >= 0 ? new long[] {st.ssrc(), st.rtxSsrc()} : new long[] {st.ssrc()}) {
                b.attribute("ssrc", new Ssrc(ssrc, "cname", st.cname()).toString());
                for (Msid m : s.msids()) {
                    b.attribute("ssrc", new Ssrc(ssrc, "msid", m.toString()).toString());
                }
            }
        }
    }

    /**
     * A rejected section (RFC 9429 section 5.2.2 and 5.3.1): the media, proto and formats kept, port 0, no transport,
     * the mid when there is one.
     */
    static void rejected(SdpBuilder b, String media, String proto, List<String> formats, String mid) {
        b.line('m', new MediaLine(media, 0, 0, proto, formats).toString());
        b.line('c', Connection.UNSPECIFIED_IP4.toString());
        if (mid != null) {
            b.attribute("mid", mid);
        }
    }
}
