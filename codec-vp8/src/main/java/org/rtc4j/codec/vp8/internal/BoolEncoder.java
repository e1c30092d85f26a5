package org.rtc4j.codec.vp8.internal;

import java.util.Arrays;

/**
 * The boolean entropy encoder of RFC 6386 section 7.3, the inverse of {@link BoolDecoder}. The
 * output grows as needed; a carry out of the low end propagates into the bytes already written.
 */
class BoolEncoder {

    private byte[] out = new byte[4096];
    private int pos;
    private int range;
    /** The low end of the interval; bit 32 after an addition is a carry. */
    private long bottom;
    /** Shifts left before the next byte is complete. */
    private int bitCount;

    BoolEncoder() {
        reset();
    }

    void reset() {
        pos = 0;
        range = 255;
        bottom = 0;
        bitCount = 24;
    }

    /** Writes bit (0 or 1) whose probability of being 0 is prob/256. */
    void write(int prob, int bit) {
        int split = 1 + (((range - 1) * prob) >> 8);
        if (bit != 0) {
            bottom += split;
            range -= split;
        } else {
            range = split;
        }
        while (range < 128) {
            range <<= 1;
            if ((bottom & 0x80000000L) != 0) {
                carry();
            }
            bottom = (bottom << 1) & 0xffffffffL;
            if (--bitCount == 0) {
                put((int) (bottom >>> 24));
                bottom &= 0xffffff;
                bitCount = 8;
            }
        }
    }

    private void carry() {
        int i = pos - 1;
        while (i >= 0 && out[i] == (byte) 0xff) {
            out[i--] = 0;
        }
        out[i]++;
    }

    private void put(int b) {
        if (pos == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[pos++] = (byte) b;
    }

    void writeBit(int bit) {
        write(128, bit);
    }

    /** An n-bit unsigned literal, most significant bit first. */
    void writeLiteral(int v, int n) {
        while (n-- > 0) {
            write(128, (v >> n) & 1);
        }
    }

    /** A flag, then if v is not 0 its n-bit magnitude and its sign (the header's optional fields). */
    void writeOptionalSigned(int v, int n) {
        writeBit(v != 0 ? 1 : 0);
        if (v != 0) {
            writeLiteral(Math.abs(v), n);
            writeBit(v < 0 ? 1 : 0);
        }
    }

    /** Writes value with a tree (RFC 6386 section 8.1), probabilities at probs[offset + node/2]. */
    void writeTree(int[] tree, int[] probs, int offset, int value) {
        writeTreeFrom(tree, 0, probs, offset, value);
    }

    /** As writeTree from a given node; value must be a leaf below it. */
    void writeTreeFrom(int[] tree, int start, int[] probs, int offset, int value) {
        int i = start;
        while (true) {
            int bit = contains(tree, tree[i + 1], value) ? 1 : 0;
            write(probs[offset + (i >> 1)], bit);
            int next = tree[i + bit];
            if (next <= 0) {
                return;
            }
            i = next;
        }
    }

    /** Whether the subtree at entry t (a leaf when t <= 0) holds value. */
    private static boolean contains(int[] tree, int t, int value) {
        if (t <= 0) {
            return -t == value;
        }
        return contains(tree, tree[t], value) || contains(tree, tree[t + 1], value);
    }

    /** Pads the interval out (as libvpx, 32 zero bits at even odds) and returns the bytes written. */
    int finish() {
        for (int i = 0; i < 32; i++) {
            write(128, 0);
        }
        return pos;
    }

    byte[] buffer() {
        return out;
    }
}
