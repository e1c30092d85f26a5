package org.rtc4j.media.codec.internal;

import java.nio.ByteBuffer;

/**
 * Reads an H.264 RBSP (NAL header and emulation prevention removed) bit by bit, as ITU-T H.264 section 7.2 and
 * 9.1 define u(n), ue(v) and se(v), and refuses to read past its end: the checks in front of JCodec read with it,
 * where JCodec's own reader returns zeros past the end for ever.
 */
final class RbspBits {

    private final ByteBuffer rbsp;
    private final int start;
    private final long end;
    private long bit;

    /** Reads {@code rbsp} from its position to its limit; the buffer itself is left as it is. */
    RbspBits(ByteBuffer rbsp) {
        this.rbsp = rbsp;
        this.start = rbsp.position();
        this.end = (long) rbsp.remaining() * 8;
    }

    int u(int n) {
        if (n < 0 || n > 32 || bit + n > end) {
            throw new IllegalStateException("H.264 syntax element of " + n + " bits past its NAL unit: refused");
        }
        int v = 0;
        for (int i = 0; i < n; i++, bit++) {
            v = v << 1 | (rbsp.get(start + (int) (bit >> 3)) >> (7 - (int) (bit & 7))) & 1;
        }
        return v;
    }

    boolean flag() {
        return u(1) == 1;
    }

    /** ue(v); a code of more than 31 leading zeros (past any value of 32 bits) is refused. */
    int ue() {
        int zeros = 0;
        while (u(1) == 0) {
            if (++zeros > 31) {
                throw new IllegalStateException("H.264 Exp-Golomb code over 32 bits: refused");
            }
        }
        return zeros == 0 ? 0 : (int) ((1L << zeros) - 1 + (u(zeros) & 0xFFFFFFFFL));
    }

    /** ue(v) that must lie in {@code [0, max]} (the range the standard gives {@code name}). */
    int ue(int max, String name) {
        int v = ue();
        if (v < 0 || v > max) {
            throw new IllegalStateException("H.264 " + name + " " + (v & 0xFFFFFFFFL) + " out of its range 0.."
                    + max + ": refused");
        }
        return v;
    }

    /** se(v) (9.1.1), with JCodec's int arithmetic for the codes past 32 bits' values. */
    int se() {
        int k = ue();
        return ((k >> 1) + (k & 1)) * (((k & 1) << 1) - 1);
    }
}
