package org.rtc4j.codec.vp8.internal;

/**
 * The boolean entropy decoder of RFC 6386 section 7. Bits are kept in a 64-bit window so that
 * bytes are loaded a few at a time; reading past the end of the partition feeds zeros (as
 * libvpx does) and counts them, so the caller can tell a truncated partition.
 */
final class BoolDecoder {

    /** Left shift that brings a range back to at least 128, by range (RFC 6386 section 7.3). */
    private static final byte[] NORM = new byte[256];

    static {
        for (int r = 1; r < 256; r++) {
            int s = 0;
            while ((r << s) < 128) {
                s++;
            }
            NORM[r] = (byte) s;
        }
    }

    private byte[] buf;
    private int pos;
    private int end;
    private long value;
    /** Bits held in value beyond the 8 compared with the split. */
    private int bits;
    private int range;
    private int overread;

    void init(byte[] data, int offset, int length) {
        buf = data;
        pos = offset;
        end = offset + length;
        value = 0;
        bits = -8;
        range = 255;
        overread = 0;
        fill();
    }

    private void fill() {
        while (bits < 40) {
            int b;
            if (pos < end) {
                b = buf[pos++] & 0xff;
            } else {
                b = 0;
                overread++;
            }
            value = (value << 8) | b;
            bits += 8;
        }
    }

    /** Whether more than slack bytes past the end of the partition have been consumed. */
    boolean exhausted(int slack) {
        return overread * 8 - (bits + 8) > slack * 8;
    }

    /** One bool with probability prob/256 of being 0. */
    int read(int prob) {
        int split = 1 + (((range - 1) * prob) >> 8);
        if (bits < 0) {
            fill();
        }
        long bigSplit = (long) split << bits;
        int bit;
        if (value >= bigSplit) {
            range -= split;
            value -= bigSplit;
            bit = 1;
        } else {
            range = split;
            bit = 0;
        }
        int shift = NORM[range];
        range <<= shift;
        bits -= shift;
        return bit;
    }

    int readBit() {
        return read(128);
    }

    /** An n-bit unsigned literal, most significant bit first (RFC 6386 section 7.3). */
    int readLiteral(int n) {
        int v = 0;
        while (n-- > 0) {
            v = (v << 1) | read(128);
        }
        return v;
    }

    /** A flag, then if set an n-bit magnitude and a sign bit; 0 when the flag is clear. */
    int readOptionalSigned(int n) {
        if (readBit() == 0) {
            return 0;
        }
        int v = readLiteral(n);
        return readBit() != 0 ? -v : v;
    }

    /** A value coded with a tree (RFC 6386 section 8.1); probs are read from probs[offset + node/2]. */
    int readTree(int[] tree, int[] probs, int offset) {
        int i = 0;
        while ((i = tree[i + read(probs[offset + (i >> 1)])]) > 0) {
            // walk down the tree
        }
        return -i;
    }

    /** As readTree, starting at a given node (for trees whose first branch was taken already). */
    int readTreeFrom(int[] tree, int start, int[] probs, int offset) {
        int i = start;
        while ((i = tree[i + read(probs[offset + (i >> 1)])]) > 0) {
            // walk down the tree
        }
        return -i;
    }
}
