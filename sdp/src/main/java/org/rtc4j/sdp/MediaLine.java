package org.rtc4j.sdp;

import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/**
 * The {@code m=} line (RFC 8866 section 5.14): {@code <media> <port>[/<number of ports>] <proto> <fmt> ...}.
 *
 * @param portCount the number of ports after a slash, or {@code 0} when there is none
 */
public record MediaLine(String media, int port, int portCount, String proto, List<String> formats) {

    /** The data-channel proto of RFC 8841 section 4.1. */
    public static final String PROTO_DTLS_SCTP = "UDP/DTLS/SCTP";
    /** The data-channel proto of draft-ietf-mmusic-sctp-sdp-05, whose format is the SCTP port. */
    public static final String PROTO_LEGACY_DTLS_SCTP = "DTLS/SCTP";
    /** The data-channel format of RFC 8841 section 4.1. */
    public static final String FORMAT_WEBRTC_DATACHANNEL = "webrtc-datachannel";

    public MediaLine {
        formats = List.copyOf(formats);
    }

    /** Parses the text after {@code m=}. */
    public static MediaLine parse(String value) throws SdpParseException {
        List<String> f = Grammar.fields(value);
        if (f == null || f.size() < 4) {
            throw new SdpParseException(0, "m= needs media, port, proto and at least one format, separated by single spaces");
        }
        if (!Grammar.isToken(f.get(0))) {
            throw new SdpParseException(0, "m= media type is not a token: " + f.get(0));
        }
        String portField = f.get(1);
        int slash = portField.indexOf('/');
        int port = port(slash < 0 ? portField : portField.substring(0, slash));
        int count = 0;
        if (slash >= 0) {
            String c = portField.substring(slash + 1);
            if (!Grammar.isDigits(c) || c.length() > 5 || Integer.parseInt(c) == 0) {
                throw new SdpParseException(0, "m= number of ports must be a positive number: " + c);
            }
            count = Integer.parseInt(c);
        }
        for (String part : f.get(2).split("/", -1)) {
            if (!Grammar.isToken(part)) {
                throw new SdpParseException(0, "m= proto is not tokens separated by '/': " + f.get(2));
            }
        }
        for (int i = 3; i < f.size(); i++) {
            if (!Grammar.isToken(f.get(i))) {
                throw new SdpParseException(0, "m= format is not a token: " + f.get(i));
            }
        }
        return new MediaLine(f.get(0), port, count, f.get(2), f.subList(3, f.size()));
    }

    private static int port(String s) throws SdpParseException {
        if (!Grammar.isDigits(s) || s.length() > 5 || Integer.parseInt(s) > 65535) {
            throw new SdpParseException(0, "m= port must be a number from 0 to 65535: " + s);
        }
        return Integer.parseInt(s);
    }

    /** Whether this is {@code m=application <port> UDP/DTLS/SCTP webrtc-datachannel} (RFC 8841 section 4.1). */
    public boolean isDataChannel() {
        return "application".equals(media) && PROTO_DTLS_SCTP.equals(proto) && formats.contains(FORMAT_WEBRTC_DATACHANNEL);
    }

    /** The text after {@code m=}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(media).append(' ').append(port);
        if (portCount > 0) {
            sb.append('/').append(portCount);
        }
        sb.append(' ').append(proto);
        for (String fmt : formats) {
            sb.append(' ').append(fmt);
        }
        return sb.toString();
    }
}
