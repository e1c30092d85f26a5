package org.rtc4j.media.codec.internal;

/**
 * Unwraps 32-bit RTP timestamps (RFC 3550 section 5.1: they wrap, and a sender starts at a random value) into
 * microseconds since the first timestamp seen: each new timestamp is taken as the nearest one, forward or back,
 * to the last.
 */
public final class RtpTime {

    private final int clockRate;
    private boolean started;
    private long last;       // last timestamp as given
    private long unwrapped;  // ticks since the first

    public RtpTime(int clockRate) {
        this.clockRate = clockRate;
    }

    /** Microseconds from the first timestamp to {@code timestamp}. */
    public long micros(long timestamp) {
        if (!started) {
            started = true;
            last = timestamp;
            return 0;
        }
        int delta = (int) (timestamp - last);   // signed distance modulo 2^32
        last = timestamp;
        unwrapped += delta;
        return Math.floorDiv(unwrapped * 1_000_000L + clockRate / 2, clockRate);   // rounded
    }

    /** {@code micros} (any origin) as an RTP timestamp in {@code clockRate}, rounded, modulo 2^32. */
    public static long timestamp(long micros, int clockRate) {
        long ticks = Math.floorDiv(micros, 1_000_000L) * clockRate
                + (Math.floorMod(micros, 1_000_000L) * clockRate + 500_000) / 1_000_000;
        return ticks & 0xFFFF_FFFFL;
    }
}
