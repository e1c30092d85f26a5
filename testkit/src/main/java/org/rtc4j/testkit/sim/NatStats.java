package org.rtc4j.testkit.sim;

/** Counters of a {@link Nat}. */
public record NatStats(
        long mappingsCreated,
        long mappingsExpired,
        long translatedOut,
        long translatedIn,
        long hairpinned,
        long droppedNoMapping,
        long droppedFiltered,
        long droppedNoHairpinning,
        long droppedNoPort) {
}
