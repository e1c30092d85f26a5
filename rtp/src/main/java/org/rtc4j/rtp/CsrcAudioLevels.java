package org.rtc4j.rtp;

import java.nio.ByteBuffer;

/**
 * The mixer-to-client audio levels (RFC 6465 section 3): one byte per CSRC of the packet, in the order of its
 * CSRC list, each the level of that contributor in -dBov (0 loudest, 127 silence) behind a zero bit.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | len=2 |0|   level 1   |0|   level 2   |0|   level 3   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class CsrcAudioLevels {

    public static final String URI = "urn:ietf:params:rtp-hdrext:csrc-audio-level";

    private CsrcAudioLevels() {
    }

    /**
     * Reads the levels of an element of {@code length} bytes at absolute {@code offset} into {@code levels}, at
     * most {@code csrcCount} of them (section 3: never more levels than CSRCs; a padded element has fewer
     * meaningful bytes than its length); returns how many were read. Allocates nothing.
     */
    public static int read(ByteBuffer buf, int offset, int length, int csrcCount, int[] levels) {
        int n = Math.min(Math.min(length, csrcCount), levels.length);
        for (int i = 0; i < n; i++) {
            levels[i] = buf.get(offset + i) & 0x7F;
        }
        return n;
    }

    /** Writes one level per CSRC (each 0..127), in the order the CSRCs were added to {@code writer}. */
    public static void write(RtpHeaderWriter writer, int id, int[] levels, int count) {
        if (count < 1 || count > 15) {
            throw new IllegalArgumentException("levels for 1 to 15 CSRCs: " + count);
        }
        byte[] d = writer.addExtension(id, count);
        for (int i = 0; i < count; i++) {
            d[writer.elementOffset() + i] = (byte) (levels[i] & 0x7F);
        }
    }
}
