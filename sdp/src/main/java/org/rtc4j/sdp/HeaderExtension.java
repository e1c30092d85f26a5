package org.rtc4j.sdp;

import java.util.Objects;
import org.rtc4j.sdp.internal.Grammar;

/**
 * {@code a=extmap:<id>[/<direction>] <uri> [<extension attributes>]} (RFC 8285 section 7): an RTP header
 * extension and the local id it has in this session. Ids 1 to 14 fit the one-byte header, 15 to 255 need the
 * two-byte one (RFC 8285 section 4); 4096 to 4351 may appear in offers only, for the answerer to choose.
 *
 * @param direction as written; {@link Direction#SENDRECV} when absent
 * @param attributes the extension attributes after the URI, empty when none
 */
public record HeaderExtension(int id, String uri, Direction direction, String attributes) {

    public static final String SDES_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** RFC 6465: the levels of a mixer's contributors, which a client only receives. */
    public static final String CSRC_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:csrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final String TOFFSET = "urn:ietf:params:rtp-hdrext:toffset";
    public static final String VIDEO_ORIENTATION = "urn:3gpp:video-orientation";

    public HeaderExtension {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(attributes, "attributes");
        if (!validId(id)) {
            throw new IllegalArgumentException("extmap id must be 1 to 255 or 4096 to 4351: " + id);
        }
    }

    /** An extension with the default direction and no attributes. */
    public HeaderExtension(int id, String uri) {
        this(id, uri, Direction.SENDRECV, "");
    }

    static boolean validId(int id) {
        return (id >= 1 && id <= 255) || (id >= 4096 && id <= 4351);
    }

    /** Whether the id needs the two-byte header form (RFC 8285 section 4.3). */
    public boolean needsTwoByteHeader() {
        return id > 14;
    }

    /** A copy with another id and direction (what an answer writes). */
    public HeaderExtension with(int newId, Direction newDirection) {
        return new HeaderExtension(newId, uri, newDirection, attributes);
    }

    /** Parses the value of {@code a=extmap}. */
    public static HeaderExtension parse(String value) throws SdpParseException {
        int sp = value.indexOf(' ');
        if (sp <= 0 || sp == value.length() - 1) {
            throw new SdpParseException(0, "a=extmap must be <id>[/<direction>] <uri> [<attributes>]");
        }
        String idPart = value.substring(0, sp);
        Direction direction = Direction.SENDRECV;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            String d = idPart.substring(slash + 1);
            direction = Direction.of(d).orElseThrow(() -> new SdpParseException(0, "a=extmap direction must be sendrecv, sendonly, recvonly or inactive: " + d));
            idPart = idPart.substring(0, slash);
        }
        if (!Grammar.isDigits(idPart) || idPart.length() > 4 || !validId(Integer.parseInt(idPart))) {
            throw new SdpParseException(0, "a=extmap id must be 1 to 255, or 4096 to 4351 in an offer: " + idPart);
        }
        String rest = value.substring(sp + 1);
        int sp2 = rest.indexOf(' ');
        String uri = sp2 < 0 ? rest : rest.substring(0, sp2);
        if (uri.isEmpty()) {
            throw new SdpParseException(0, "a=extmap needs a URI");
        }
        return new HeaderExtension(Integer.parseInt(idPart), uri, direction, sp2 < 0 ? "" : rest.substring(sp2 + 1));
    }

    /** The attribute value; the direction only when it is not sendrecv, as browsers write it. */
    @Override
    public String toString() {
        return id + (direction == Direction.SENDRECV ? "" : "/" + direction.sdpValue()) + " " + uri
                + (attributes.isEmpty() ? "" : " " + attributes);
    }
}
