package org.rtc4j.rtp;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/**
 * The client-to-mixer audio level (RFC 6464 section 3): whether the packet holds voice, and the level in -dBov
 * (0 loudest, 127 silence).
 *
 * <pre>
 *  0                   1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | len=0 |V| level       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param voice the V flag
 * @param level 0..127, the level in -dBov
 */
public record AudioLevel(boolean voice, int level) {

    public static final String URI = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    public AudioLevel {
        if (level < 0 || level > 127) {
            throw new IllegalArgumentException("audio level " + level);
        }
    }

    /** RFC 6464 section 3: one byte, though a padded element of up to 4 bytes is accepted (section 5). */
    public static AudioLevel read(ByteBuffer buf, int offset, int length) throws ParseException {
        if (length < 1) {
            throw new ParseException("empty audio level element");
        }
        int b = buf.get(offset) & 0xFF;
        return new AudioLevel((b & 0x80) != 0, b & 0x7F);
    }

    public void write(RtpHeaderWriter writer, int id) {
        byte[] d = writer.addExtension(id, 1);
        d[writer.elementOffset()] = (byte) ((voice ? 0x80 : 0) | level);
    }
}
