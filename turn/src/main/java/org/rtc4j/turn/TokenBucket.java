package org.rtc4j.turn;

import java.time.Instant;

/** A byte budget that refills at a fixed rate up to one second's worth (0 = no cap); time comes from outside. */
final class TokenBucket {

    private final long rate;
    private long tokens;
    private Instant last;

    TokenBucket(long bytesPerSecond, Instant now) {
        this.rate = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.last = now;
    }

    boolean take(int bytes, Instant now) {
        if (rate <= 0) {
            return true;
        }
        if (now.isAfter(last)) {
            long seconds = now.getEpochSecond() - last.getEpochSecond();
            long nanos = seconds >= 2 ? 2_000_000_000L : seconds * 1_000_000_000L + now.getNano() - last.getNano();
            long refill = nanos >= 1_000_000_000L ? rate : (long) ((double) rate * nanos / 1e9);
            if (refill > 0) {
                tokens = Math.min(rate, tokens + refill);
                last = now;
            }
        }
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }
}
