package org.rtc4j.bench.signaling;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Latencies in 10 µs buckets up to 2 s (and the largest value beyond), safe for concurrent recording. */
final class LatencyHistogram {
    private static final int BUCKET_NANOS = 10_000;
    private final AtomicLongArray buckets = new AtomicLongArray(200_000);
    private final AtomicLong over = new AtomicLong();
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong count = new AtomicLong();

    void record(long nanos) {
        long b = Math.max(0, nanos) / BUCKET_NANOS;
        if (b < buckets.length()) {
            buckets.incrementAndGet((int) b);
        } else {
            over.incrementAndGet();
        }
        max.accumulateAndGet(nanos, Math::max);
        count.incrementAndGet();
    }

    long count() {
        return count.get();
    }

    /** The latency below which {@code fraction} of the samples fall, in milliseconds. */
    double percentileMillis(double fraction) {
        long n = count.get();
        if (n == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(fraction * n);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return max.get() / 1e6;
    }

    double maxMillis() {
        return max.get() / 1e6;
    }
}
