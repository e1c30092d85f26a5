package org.rtc4j.rtp.srtp.internal;

/**
 * The sliding replay window of RFC 3711 section 3.3.2: the highest index accepted so far and a bitmap of the
 * {@link #SIZE} indices up to it. Bits live in a ring indexed by the low bits of the packet index.
 */
public final class ReplayWindow {

    /** 128 packets, as libsrtp: RFC 3711 asks for at least 64. */
    public static final int SIZE = 128;

    private final long[] bits = new long[SIZE / 64];
    private long top = -1;

    /** The highest index accepted, or -1 before the first. */
    public long top() {
        return top;
    }

    /** Whether {@code index} is new: above the window, or inside it and not yet seen. */
    public boolean accepts(long index) {
        if (top < 0 || index > top) {
            return true;
        }
        if (top - index >= SIZE) {
            return false;
        }
        return !isSet(index);
    }

    /** Records {@code index} as received (after it authenticated), sliding the window when it is new. */
    public void accept(long index) {
        if (top < 0 || index - top >= SIZE) {
            bits[0] = 0;
            bits[1] = 0;
            top = index;
        } else if (index > top) {
            int slide = (int) (index - top); // under SIZE: an int loop, which C2 keeps (a long one hit its limit check)
            for (int k = 1; k <= slide; k++) {
                clear(top + k);
            }
            top = index;
        }
        int slot = (int) (index & (SIZE - 1));
        bits[slot >>> 6] |= 1L << (slot & 63);
    }

    private boolean isSet(long index) {
        int slot = (int) (index & (SIZE - 1));
        return (bits[slot >>> 6] & (1L << (slot & 63))) != 0;
    }

    private void clear(long index) {
        int slot = (int) (index & (SIZE - 1));
        bits[slot >>> 6] &= ~(1L << (slot & 63));
    }
}
