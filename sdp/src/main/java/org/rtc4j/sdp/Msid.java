package org.rtc4j.sdp;

import org.rtc4j.sdp.internal.Grammar;

/**
 * {@code a=msid:<stream id> [<track id>]} (RFC 8830 section 2): the MediaStream a track belongs to, {@code -}
 * for none (RFC 9429 section 5.2.1); one line per stream. The track id (appdata) is empty when absent.
 */
public record Msid(String streamId, String trackId) {

    /** The stream id written for a track in no stream. */
    public static final String NO_STREAM = "-";

    /** Parses the value of {@code a=msid} (or the value of an {@code a=ssrc:<id> msid:} line). */
    public static Msid parse(String value) throws SdpParseException {
        int sp = value.indexOf(' ');
        String id = sp < 0 ? value : value.substring(0, sp);
        String appdata = sp < 0 ? "" : value.substring(sp + 1);
        // RFC 8830 section 2: msid-id and msid-appdata are 1*64 token-char; longer ones are accepted as sent.
        if (!Grammar.isToken(id) || (sp >= 0 && !Grammar.isToken(appdata))) {
            throw new SdpParseException(0, "a=msid must be <stream id> [<track id>], each of token characters");
        }
        return new Msid(id, appdata);
    }

    /** Whether the track is in no stream ({@code -}). */
    public boolean noStream() {
        return NO_STREAM.equals(streamId);
    }

    @Override
    public String toString() {
        return trackId.isEmpty() ? streamId : streamId + " " + trackId;
    }
}
