package org.rtc4j.sdp;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.rtc4j.sdp.internal.Grammar;

/**
 * One media section: the {@code m=} line and every line up to the next one (RFC 8866 section 5.14), with
 * typed reads of what JSEP needs for data channels. Audio and video attributes ({@code a=rtpmap},
 * {@code a=ssrc}, ...) are kept as written and reachable through {@link #attributes(String)}.
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

    /** The first direction attribute; RFC 8866 section 6.7 says sendrecv when there is none. */
    public Optional<Direction> direction() {
        for (Attribute a : attributes()) {
            Optional<Direction> d = Direction.of(a.name());
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }
}
