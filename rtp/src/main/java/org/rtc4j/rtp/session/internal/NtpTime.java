package org.rtc4j.rtp.session.internal;

import java.time.Instant;

/** Time conversions: nanoseconds since the Unix epoch, 64-bit NTP timestamps (RFC 5905 6) and their middle bits. */
public final class NtpTime {

    /** Seconds from 1900 (NTP era 0) to 1970. */
    private static final long UNIX_TO_NTP = 2_208_988_800L;
    private static final long NANOS = 1_000_000_000L;

    private NtpTime() {
    }

    public static long nanos(Instant t) {
        return t.getEpochSecond() * NANOS + t.getNano();
    }

    public static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
    }

    /** The 64-bit NTP timestamp of a time in Unix nanoseconds. */
    public static long ntp(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS) + UNIX_TO_NTP;
        long fraction = (Math.floorMod(unixNanos, NANOS) << 32) / NANOS;
        return (seconds << 32) | fraction;
    }

    /** Unix nanoseconds of a 64-bit NTP timestamp (era 0). */
    public static long unixNanos(long ntp) {
        long seconds = (ntp >>> 32) - UNIX_TO_NTP;
        return seconds * NANOS + (((ntp & 0xFFFF_FFFFL) * NANOS) >>> 32);
    }

    /** The middle 32 bits (RFC 3550 6.4.1 LSR, RFC 3611 4.4 LRR). */
    public static long middle(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }

    /** Nanoseconds of a duration in 1/65536 s (DLSR, DLRR). */
    public static long shortToNanos(long units) {
        return units * NANOS >>> 16;
    }

    public static long nanosToShort(long nanos) {
        return (nanos << 16) / NANOS;
    }

    /**
     * The round trip from a report that echoes our timestamp {@code echoed} after {@code delay} (both 1/65536 s),
     * received at {@code nowNanos} (RFC 3550 6.4.1 figure 2); -1 when the report echoes nothing or the result is
     * negative (clock trouble or forgery).
     */
    public static long roundTripNanos(long nowNanos, long echoed, long delay) {
        if (echoed == 0) {
            return -1;
        }
        long rtt = (middle(ntp(nowNanos)) - echoed - delay) & 0xFFFF_FFFFL;
        return rtt > 0x7FFF_FFFFL ? -1 : shortToNanos(rtt);
    }
}
