package org.rtc4j.rtp.internal;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/** Most-significant-bit-first reads over a bounded region, as the AV1 specifications' f(n) and ns(n). */
public final class BitReader {

    private final ByteBuffer buf;
    private final int start;
    private final int bits;
    private int at;

    public BitReader(ByteBuffer buf, int offset, int length) {
        this.buf = buf;
        this.start = offset;
        this.bits = length * 8;
    }

    /** f(n): n bits, 0 &lt;= n &lt;= 32, as an unsigned value. */
    public long f(int n) throws ParseException {
        if (n < 0 || n > 32 || at + n > bits) {
            throw new ParseException("need " + n + " bits at bit " + at + " of " + bits);
        }
        long v = 0;
        for (int i = 0; i < n; i++, at++) {
            v = (v << 1) | ((buf.get(start + (at >>> 3)) >>> (7 - (at & 7))) & 1);
        }
        return v;
    }

    public int bit() throws ParseException {
        return (int) f(1);
    }

    /** ns(n): a non-symmetric unsigned value in 0..n-1 (AV1 bitstream specification 4.10.7). */
    public int ns(int n) throws ParseException {
        int w = 0;
        for (int x = n; x != 0; x >>= 1) {
            w++;
        }
        int m = (1 << w) - n;
        int v = (int) f(w - 1);
        if (v < m) {
            return v;
        }
        return (v << 1) - m + bit();
    }

    public int consumed() {
        return at;
    }
}
