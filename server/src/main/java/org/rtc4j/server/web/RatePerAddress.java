package org.rtc4j.server.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rtc4j.server.signaling.TokenBucket;

/**
 * A token bucket per client address, for requests that hand out something of value (TURN credentials: each
 * one can hold allocations on the TURN server). The table keeps the most recently seen addresses only, so
 * many addresses cannot grow it without bound; an address pushed out starts again with a full bucket, which
 * costs an attacker as many addresses as it saves.
 */
final class RatePerAddress {
    private static final int MAX_ADDRESSES = 10_000;

    private final double perSecond;
    private final int burst;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    RatePerAddress(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Whether {@code address} may have one more now. */
    synchronized boolean tryTake(String address, long nowNanos) {
        return buckets.computeIfAbsent(address, a -> new TokenBucket(perSecond, burst, nowNanos)).tryTake(nowNanos);
    }
}
