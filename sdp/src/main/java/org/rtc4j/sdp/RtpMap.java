package org.rtc4j.sdp;

import java.util.List;
import org.rtc4j.sdp.internal.Grammar;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]} (RFC 8866 section 6.6),
 * e.g. {@code a=rtpmap:111 opus/48000/2}.
 *
 * @param channels the encoding parameters of an audio format (the channel count), 0 when absent
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {

    /** Parses the value of {@code a=rtpmap}. */
    public static RtpMap parse(String value) throws SdpParseException {
        List<String> f = Grammar.fields(value);
        if (f == null || f.size() != 2) {
            throw new SdpParseException(0, "a=rtpmap must be <payload type> <encoding name>/<clock rate>[/<channels>]");
        }
        int pt = payloadType(f.get(0), "a=rtpmap");
        String[] enc = f.get(1).split("/", -1);
        if (enc.length < 2 || enc.length > 3 || !Grammar.isToken(enc[0]) || enc[0].indexOf('/') >= 0) {
            throw new SdpParseException(0, "a=rtpmap encoding must be <name>/<clock rate>[/<channels>]: " + f.get(1));
        }
        int clock = number(enc[1], Integer.MAX_VALUE, "clock rate");
        int channels = enc.length == 3 ? number(enc[2], 255, "channel count") : 0;
        if (clock == 0 || (enc.length == 3 && channels == 0)) {
            throw new SdpParseException(0, "a=rtpmap clock rate and channel count must be positive: " + f.get(1));
        }
        return new RtpMap(pt, enc[0], clock, channels);
    }

    /** RFC 3551 section 3: an RTP payload type is 0 to 127. */
    static int payloadType(String s, String what) throws SdpParseException {
        if (!Grammar.isDigits(s) || s.length() > 3 || Integer.parseInt(s) > 127) {
            throw new SdpParseException(0, what + " payload type must be a number from 0 to 127: " + s);
        }
        return Integer.parseInt(s);
    }

    private static int number(String s, int max, String what) throws SdpParseException {
        if (!Grammar.isDigits(s) || s.length() > 10 || Long.parseLong(s) > max) {
            throw new SdpParseException(0, "a=rtpmap " + what + " must be a number up to " + max + ": " + s);
        }
        return Integer.parseInt(s);
    }

    /** The attribute value. */
    @Override
    public String toString() {
        return payloadType + " " + encodingName + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }
}
