package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.rtc4j.sdp.internal.Grammar;

/**
 * One media section: the {@code m=} line and every line up to the next one (RFC 8866 section 5.14), with
 * typed reads of what JSEP needs for data channels and for RTP media (RFC 9429 section 5.8): payload
 * formats, header extensions, SSRCs, msid, rid and simulcast. Every line stays reachable as written through
 * {@link #attributes(String)}.
 */
public final class MediaDescription extends SdpSection {

    private final MediaLine mediaLine;
    private final int lineNumber;

    MediaDescription(List<SdpLine> lines, MediaLine mediaLine, int lineNumber) {
        super(lines);
        this.mediaLine = mediaLine;
        this.lineNumber = lineNumber;
    }

    /** The parsed {@code m=} line. */
    public MediaLine mediaLine() {
        return mediaLine;
    }

    /** The number of the {@code m=} line in the text this section was parsed from, 0 when it was built. */
    public int lineNumber() {
        return lineNumber;
    }

    /** {@code a=mid} (RFC 5888 section 4). */
    public Optional<String> mid() {
        return attributeValue("mid");
    }

    /** Whether this is an SCTP data-channel section (RFC 8841 section 4.1), in the standard or the legacy form. */
    public boolean isDataChannel() {
        return mediaLine.isDataChannel() || isLegacyDataChannel();
    }

    /**
     * Whether this is a data-channel section in the form of draft-ietf-mmusic-sctp-sdp-05, still sent by deployed
     * stacks and accepted by Chromium: {@code m=application <port> DTLS/SCTP <sctp-port>} with
     * {@code a=sctpmap:<sctp-port> webrtc-datachannel [<streams>]}, the SCTP port being the format.
     */
    public boolean isLegacyDataChannel() {
        return legacySctpPort() >= 0;
    }

    /** The format of a legacy data-channel section that an {@code a=sctpmap} names webrtc-datachannel, or -1. */
    private int legacySctpPort() {
        if (!"application".equals(mediaLine.media()) || !MediaLine.PROTO_LEGACY_DTLS_SCTP.equals(mediaLine.proto())
                || mediaLine.formats().size() != 1) {
            return -1;
        }
        String fmt = mediaLine.formats().get(0);
        if (fmt.isEmpty() || fmt.length() > 5 || !fmt.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(fmt) > 65_535) {
            return -1;
        }
        for (String map : attributeValues("sctpmap")) {
            String[] f = map.strip().split(" ");
            if (f.length >= 2 && f[0].equals(fmt) && f[1].equals(MediaLine.FORMAT_WEBRTC_DATACHANNEL)) {
                return Integer.parseInt(fmt);
            }
        }
        return -1;
    }

    /**
     * Whether the section is rejected or disabled: port 0 without {@code a=bundle-only} (RFC 3264 section 6,
     * RFC 8843 section 6).
     */
    public boolean isRejected() {
        return mediaLine.port() == 0 && !hasAttribute("bundle-only");
    }

    /** {@code a=sctp-port} as written (RFC 8841 section 5). */
    public OptionalInt sctpPortAttribute() {
        Optional<String> v = attributeValue("sctp-port");
        return v.isPresent() ? OptionalInt.of(Integer.parseInt(v.get())) : OptionalInt.empty();
    }

    /**
     * The SCTP port: {@code a=sctp-port}, or 5000 when absent (RFC 8841 section 5.1); in the legacy form the
     * {@code m=} line's format.
     */
    public int sctpPort() {
        int legacy = legacySctpPort();
        return legacy >= 0 ? legacy : sctpPortAttribute().orElse(5000);
    }

    /** rtc4j's own attribute (unknown ones are ignored by other stacks, RFC 8866 section 5.13). */
    public static final String MAX_DATAGRAM = "x-rtc4j-max-datagram";

    /**
     * {@code a=x-rtc4j-max-datagram}: the largest DTLS datagram the peer says it receives, or 0 when it does not
     * say (no standard attribute tells; SCTP's path MTU probes must not exceed what the peer's DTLS takes, and
     * Chromium fails the whole connection on a datagram over about 2 KB rather than drop it).
     */
    public int maxDatagram() {
        Optional<String> v = attributeValue(MAX_DATAGRAM);
        String digits = v.orElse("").strip();
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;  // absent or malformed: as if the peer had not said
        }
        return Math.min(Integer.parseInt(digits), 65_535);
    }

    /** {@code a=max-message-size} as written, saturated at {@link Long#MAX_VALUE} (RFC 8841 section 6). */
    public OptionalLong maxMessageSizeAttribute() {
        Optional<String> v = attributeValue("max-message-size");
        return v.isPresent() ? OptionalLong.of(Grammar.saturatingLong(v.get())) : OptionalLong.empty();
    }

    /**
     * The largest message the peer can receive (RFC 8841 section 6.1): 65,536 when the attribute is absent,
     * {@link Long#MAX_VALUE} for 0, which means no limit.
     */
    public long maxMessageSize() {
        long v = maxMessageSizeAttribute().orElse(65_536);
        return v == 0 ? Long.MAX_VALUE : v;
    }

    /**
     * The values of the {@code a=candidate} lines, without the {@code candidate:} prefix (the W3C
     * {@code RTCIceCandidate.candidate} string is {@code "candidate:" + value}); the ICE module parses them.
     */
    public List<String> candidates() {
        return attributeValues("candidate");
    }

    /** {@code a=end-of-candidates} (RFC 8840 section 8.2). */
    public boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    /** {@code a=rtcp-mux} (RFC 5761 section 5.1.1). */
    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    // =================================================================================== RTP media

    /** The media type of the {@code m=} line: {@code audio}, {@code video}, {@code application}. */
    public String kind() {
        return mediaLine.media();
    }

    /** Whether the proto is an RTP profile ({@code UDP/TLS/RTP/SAVPF}, {@code RTP/AVP}, ...; RFC 8866 section 5.14). */
    public boolean isRtp() {
        for (String part : mediaLine.proto().split("/")) {
            if (part.equals("RTP")) {
                return true;
            }
        }
        return false;
    }

    /** {@code a=rtcp-rsize} (RFC 5506 section 5). */
    public boolean rtcpRsize() {
        return hasAttribute("rtcp-rsize");
    }

    /** {@code a=bundle-only} (RFC 8843 section 6). */
    public boolean bundleOnly() {
        return hasAttribute("bundle-only");
    }

    /** {@code a=extmap-allow-mixed} at media level (RFC 8285 section 6). */
    public boolean extmapAllowMixed() {
        return hasAttribute("extmap-allow-mixed");
    }

    /** The {@code a=rtpmap} lines in order. */
    public List<RtpMap> rtpMaps() {
        return parsedValues("rtpmap", RtpMap::parse);
    }

    /** The {@code a=fmtp} lines in order. */
    public List<Fmtp> fmtps() {
        return parsedValues("fmtp", Fmtp::parse);
    }

    /** The {@code a=rtcp-fb} lines in order. */
    public List<RtcpFeedback.Line> rtcpFeedbackLines() {
        return parsedValues("rtcp-fb", RtcpFeedback::parseLine);
    }

    /**
     * The payload formats of an RTP section in the order of the {@code m=} line, each with its rtpmap (or its
     * RFC 3551 static assignment), fmtp and feedback. A format with neither an rtpmap nor a static assignment
     * cannot be used and is left out, as are rtpmap, fmtp and rtcp-fb lines for formats the {@code m=} line does
     * not list (RFC 8866 section 6.6 and 6.15); when a format has two of a line, the first counts.
     */
    public List<RtpCodecParameters> codecs() {
        if (!isRtp()) {
            return List.of();
        }
        Map<Integer, RtpMap> maps = new HashMap<>();
        for (RtpMap m : rtpMaps()) {
            maps.putIfAbsent(m.payloadType(), m);
        }
        Map<String, Fmtp> fmtps = new HashMap<>();
        for (Fmtp f : fmtps()) {
            fmtps.putIfAbsent(f.format(), f);
        }
        List<RtcpFeedback.Line> feedback = rtcpFeedbackLines();
        boolean audio = "audio".equals(kind());
        List<RtpCodecParameters> out = new ArrayList<>();
        Set<Integer> seen = new LinkedHashSet<>();
        for (String fmt : mediaLine.formats()) {
            int pt;
            try {
                pt = RtpMap.payloadType(fmt, "m=");
            } catch (SdpParseException e) {
                continue; // not an RTP payload type
            }
            if (!seen.add(pt)) {
                continue;
            }
            RtpMap map = maps.get(pt);
            RtpCodecParameters base = map != null
                    ? RtpCodecParameters.of(pt, map.encodingName(), map.clockRate(), map.channels() > 0 ? map.channels() : audio ? 1 : 0)
                    : RtpCodecParameters.staticFormat(pt);
            if (base == null) {
                continue;
            }
            List<RtcpFeedback> fb = new ArrayList<>();
            for (RtcpFeedback.Line l : feedback) {
                if (l.appliesTo(pt) && !fb.contains(l.feedback())) {
                    fb.add(l.feedback());
                }
            }
            Fmtp fmtp = fmtps.get(fmt);
            out.add(new RtpCodecParameters(pt, base.name(), base.clockRate(), base.channels(),
                    fmtp == null ? Map.of() : fmtp.parameters(), fb));
        }
        return out;
    }

    /**
     * The {@code a=extmap} lines of this section in order; of two lines with one id, the first counts (RFC 8285
     * section 5 allows one meaning per id). {@link SessionDescription#headerExtensions} adds the session-level ones.
     */
    public List<HeaderExtension> headerExtensions() {
        List<HeaderExtension> out = new ArrayList<>();
        Set<Integer> ids = new LinkedHashSet<>();
        for (HeaderExtension e : parsedValues("extmap", HeaderExtension::parse)) {
            if (ids.add(e.id())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The {@code a=msid} lines in order (RFC 8830 section 2). */
    public List<Msid> msids() {
        return parsedValues("msid", Msid::parse);
    }

    /** The {@code a=ssrc} lines in order (RFC 5576 section 4.1). */
    public List<Ssrc> ssrcs() {
        return parsedValues("ssrc", Ssrc::parse);
    }

    /** The distinct SSRCs of the {@code a=ssrc} lines, in order of first appearance. */
    public List<Long> ssrcIds() {
        Set<Long> ids = new LinkedHashSet<>();
        for (Ssrc s : ssrcs()) {
            ids.add(s.ssrc());
        }
        return List.copyOf(ids);
    }

    /** The {@code a=ssrc-group} lines in order (RFC 5576 section 4.2). */
    public List<Ssrc.Group> ssrcGroups() {
        return parsedValues("ssrc-group", Ssrc.Group::parse);
    }

    /** The RTX SSRC an {@code a=ssrc-group:FID} pairs with {@code primary} (RFC 4588 section 8.1), or -1. */
    public long rtxSsrcOf(long primary) {
        for (Ssrc.Group g : ssrcGroups()) {
            if (g.semantics().equals(Ssrc.Group.FID) && g.ssrcs().size() == 2 && g.ssrcs().get(0) == primary) {
                return g.ssrcs().get(1);
            }
        }
        return -1;
    }

    /** The CNAME given to {@code ssrc} ({@code a=ssrc:<id> cname:}, RFC 5576 section 6.1). */
    public Optional<String> cnameOf(long ssrc) {
        for (Ssrc s : ssrcs()) {
            if (s.ssrc() == ssrc && s.attribute().equals("cname")) {
                return Optional.of(s.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code a=rid} lines that parse (RFC 8851 section 10); others are left out, as a stack that reads
     * neither rid nor simulcast would ignore them.
     */
    public List<Rid> rids() {
        List<Rid> out = new ArrayList<>();
        for (String v : attributeValues("rid")) {
            try {
                out.add(Rid.parse(v));
            } catch (SdpParseException e) {
                // an earlier draft's form: not used
            }
        }
        return out;
    }

    /** {@code a=simulcast} (RFC 8853 section 5.1), when present and in the RFC's form. */
    public Optional<Simulcast> simulcast() {
        Optional<String> v = attributeValue("simulcast");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Simulcast.parse(v.get()));
        } catch (SdpParseException e) {
            return Optional.empty(); // an earlier draft's form ("send rid=a;b"): not used
        }
    }
}
