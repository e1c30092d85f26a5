package org.rtc4j.core;

import java.time.Instant;

/**
 * Where drivers read the time. Engines never read it themselves: they are given {@code now}. Real drivers
 * use {@link #system()}; simulations pass a virtual clock.
 */
@FunctionalInterface
public interface Clock {

    Instant now();

    /** The wall clock, {@link Instant#now()}. */
    static Clock system() {
        return Instant::now;
    }
}
