package org.rtc4j.media.container.internal;

import java.util.List;
import org.rtc4j.media.container.ContainerTrack;
import org.rtc4j.rtp.EncodedFrame;

/** Turns each track's RTP timestamps (modulo 2^32) into nanoseconds since that track's first frame. */
public final class TrackClocks {

    private final int[] clockRates;
    private final long[] first;
    private final long[] last;
    private final long[] unwrapped;

    public TrackClocks(List<ContainerTrack> tracks) {
        int n = tracks.size();
        clockRates = new int[n];
        first = new long[n];
        last = new long[n];
        unwrapped = new long[n];
        for (int i = 0; i < n; i++) {
            clockRates[i] = tracks.get(i).codec().clockRate();
            first[i] = -1;
        }
    }

    public long nanos(int track, EncodedFrame frame) {
        long ts = frame.timestamp();
        if (first[track] < 0) {
            first[track] = ts;
            last[track] = ts;
            unwrapped[track] = 0;
        } else {
            // The signed 32-bit difference: a step back (B-frames, reordering) is negative, a wrap is not.
            unwrapped[track] += (int) (ts - last[track]);
            last[track] = ts;
        }
        return ticksToNanos(unwrapped[track], clockRates[track]);
    }

    public static long ticksToNanos(long ticks, int rate) {
        return Math.floorDiv(ticks, rate) * 1_000_000_000L + Math.floorMod(ticks, rate) * 1_000_000_000L / rate;
    }

    /** Nanoseconds to ticks of {@code rate}, rounded to the nearest tick. */
    public static long nanosToTicks(long nanos, int rate) {
        long s = Math.floorDiv(nanos, 1_000_000_000L);
        long rest = Math.floorMod(nanos, 1_000_000_000L);
        return s * rate + (rest * rate + 500_000_000L) / 1_000_000_000L;
    }

    /** {@code value * num / den} rounded down, exact for any 64-bit operands (pts in a file's time base). */
    public static long rescale(long value, long num, long den) {
        long hi = Math.multiplyHigh(value, num);
        long lo = value * num;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return Math.floorDiv(lo, den);
        }
        return java.math.BigInteger.valueOf(value).multiply(java.math.BigInteger.valueOf(num))
                .divide(java.math.BigInteger.valueOf(den)).longValue();
    }
}
