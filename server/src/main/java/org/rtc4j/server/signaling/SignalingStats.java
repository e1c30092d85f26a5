package org.rtc4j.server.signaling;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of a {@link SignalingHub}, read by the metrics endpoint. */
public final class SignalingStats {
    final LongAdder received = new LongAdder();
    final LongAdder relayed = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder joins = new LongAdder();
    final LongAdder disconnectedForFlooding = new LongAdder();
    final LongAdder disconnectedForNotReading = new LongAdder();
    /**
     * Messages for other servers that could not be handed to Redis (it was out of reach), and messages from
     * them for a member that had left.
     */
    final LongAdder clusterDropped = new LongAdder();
    private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);

    SignalingStats() {
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, new LongAdder());
        }
    }

    /** Messages received from clients, valid or not. */
    public long received() {
        return received.sum();
    }

    /** Messages relayed (one per offer, answer, candidate or message, however many receive it). */
    public long relayed() {
        return relayed.sum();
    }

    /** Relayed messages delivered (a broadcast to three peers counts three). */
    public long delivered() {
        return delivered.sum();
    }

    /** Messages between servers dropped: Redis was out of reach, or the member they were for had left. */
    public long clusterDropped() {
        return clusterDropped.sum();
    }

    /** Successful joins. */
    public long joins() {
        return joins.sum();
    }

    /** Clients disconnected because they kept sending over the rate limit. */
    public long disconnectedForFlooding() {
        return disconnectedForFlooding.sum();
    }

    /** Clients disconnected because what waited to be sent to them passed the queue limits. */
    public long disconnectedForNotReading() {
        return disconnectedForNotReading.sum();
    }

    /** Error messages sent with this code. */
    public long errors(ErrorCode code) {
        return errors.get(code).sum();
    }

    void error(ErrorCode code) {
        errors.get(code).increment();
    }
}
