package org.rtc4j.media.container.internal;

/** MSB-first bit reader over a byte range; reading past the end yields zeros and sets {@link #overrun()}. */
public final class BitReader {

    private final byte[] data;
    private final int end;
    private long bit;
    private boolean overrun;

    public BitReader(byte[] data, int off, int len) {
        this.data = data;
        this.end = off + len;
        this.bit = (long) off * 8;
    }

    public int bit() {
        int byteIndex = (int) (bit >>> 3);
        if (byteIndex >= end) {
            overrun = true;
            bit++;
            return 0;
        }
        int b = (data[byteIndex] >>> (7 - (bit & 7))) & 1;
        bit++;
        return b;
    }

    public long bits(int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | bit();
        }
        return v;
    }

    public boolean flag() {
        return bit() == 1;
    }

    /** H.264 7.2 ue(v), capped at 31 leading zeros. */
    public long ue() {
        int zeros = 0;
        while (bit() == 0) {
            if (++zeros > 31 || overrun) {
                overrun = true;
                return 0;
            }
        }
        return (1L << zeros) - 1 + bits(zeros);
    }

    /** AV1 4.10.3 uvlc(). */
    public long uvlc() {
        return ue();
    }

    public boolean overrun() {
        return overrun;
    }
}
