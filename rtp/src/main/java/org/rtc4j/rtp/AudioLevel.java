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

    private static final AudioLevel[] ALL = new AudioLevel[256];

    static {
        for (int i = 0; i < 256; i++) {
            ALL[i] = new AudioLevel(i >= 128, i & 0x7F);
        }
    }

    public AudioLevel {
        if (level < 0 || level > 127) {
            throw new IllegalArgumentException("audio level " + level);
        }
    }

    /** The shared instance of a flag and level (nothing allocated: one per sent audio frame). */
    public static AudioLevel of(boolean voice, int level) {
        if (level < 0 || level > 127) {
            throw new IllegalArgumentException("audio level " + level);
        }
        return ALL[(voice ? 128 : 0) | level];
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
        write(writer, id, voice, level);
    }

    /** As {@link #write(RtpHeaderWriter, int)}, allocating nothing (once per packet on the send path). */
    public static void write(RtpHeaderWriter writer, int id, boolean voice, int level) {
        byte[] d = writer.addExtension(id, 1);
        d[writer.elementOffset()] = (byte) ((voice ? 0x80 : 0) | (level & 0x7F));
    }

    /**
     * The level of 16-bit samples in -dBov, 0..127 (RFC 6464 section 4 and appendix A: the root mean square
     * relative to the overload point, a full-scale square wave being 0 dBov; silence and anything under -127 dBov
     * are 127), from the sum of the squared samples and their count.
     */
    public static int fromEnergy(double sumOfSquares, long samples) {
        if (samples <= 0 || sumOfSquares <= 0) {
            return 127;
        }
        double dbov = 10 * Math.log10(sumOfSquares / (samples * 32768.0 * 32768.0));
        return (int) Math.max(0, Math.min(127, Math.round(-dbov)));
    }

    /**
     * The linear value W3C WebRTC reports for a level (section 5.4, RTCRtpContributingSource.audioLevel):
     * 127 is 0, any other level 10^(-level/20), so 0 dBov is 1.0.
     */
    public static double toLinear(int level) {
        return level >= 127 ? 0.0 : Math.pow(10, -level / 20.0);
    }
}
