package org.rtc4j.testkit.sim;

import java.time.Instant;

/** A value with the simulated time it appeared at. */
public record Timed<T>(Instant time, T value) {
}
