package org.rtc4j.transfer;

import java.time.Duration;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCSettings;

/**
 * Settings of a transfer; {@link #defaults()} suits the command line.
 *
 * @param configuration ICE servers and policy of the peer connections
 * @param settings rtc4j's own connection settings (ports, interfaces, buffers)
 * @param maxWrongCodes failed key exchanges after which a sender gives up its code (magic-wormhole allows one)
 * @param codeLifetime how long a sender waits for receivers before its code expires
 * @param parallelFiles files sent at the same time, each on its own data channel
 * @param connectTimeout how long one connection attempt may take to reach an authenticated channel
 * @param idleWarmup whether a sender of a large file warms its send path up while it waits for the receiver
 *                   (chunks between two connections of its own JVM, on loopback: a CPU second or so of idle time,
 *                   for a faster start of the data; see the module's README)
 */
public record TransferOptions(RTCConfiguration configuration, RTCSettings settings, int maxWrongCodes,
                              Duration codeLifetime, int parallelFiles, Duration connectTimeout,
                              boolean idleWarmup) {

    public TransferOptions {
        if (maxWrongCodes < 1 || parallelFiles < 1 || parallelFiles > 64) {
            throw new IllegalArgumentException("maxWrongCodes >= 1 and parallelFiles 1..64");
        }
    }

    /** Three wrong codes, an hour's validity, four files at a time, 30 s to connect, the idle warm-up on. */
    public static TransferOptions defaults() {
        return new TransferOptions(RTCConfiguration.defaults(), RTCSettings.defaults(), 3, Duration.ofHours(1), 4,
                Duration.ofSeconds(30), true);
    }

    public TransferOptions withConfiguration(RTCConfiguration value) {
        return new TransferOptions(value, settings, maxWrongCodes, codeLifetime, parallelFiles, connectTimeout,
                idleWarmup);
    }

    public TransferOptions withSettings(RTCSettings value) {
        return new TransferOptions(configuration, value, maxWrongCodes, codeLifetime, parallelFiles, connectTimeout,
                idleWarmup);
    }

    public TransferOptions withMaxWrongCodes(int value) {
        return new TransferOptions(configuration, settings, value, codeLifetime, parallelFiles, connectTimeout,
                idleWarmup);
    }

    public TransferOptions withCodeLifetime(Duration value) {
        return new TransferOptions(configuration, settings, maxWrongCodes, value, parallelFiles, connectTimeout,
                idleWarmup);
    }

    public TransferOptions withParallelFiles(int value) {
        return new TransferOptions(configuration, settings, maxWrongCodes, codeLifetime, value, connectTimeout,
                idleWarmup);
    }

    public TransferOptions withIdleWarmup(boolean value) {
        return new TransferOptions(configuration, settings, maxWrongCodes, codeLifetime, parallelFiles, connectTimeout,
                value);
    }
}
