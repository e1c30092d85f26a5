package org.rtc4j.ice;

/** Candidate and pair priorities (RFC 8445 sections 5.1.2 and 6.1.2.3). */
public final class IcePriority {

    private IcePriority() {
    }

    /** RFC 8445 section 5.1.2.1: {@code 2^24 * type + 2^8 * local + (256 - component)}. */
    public static long candidate(int typePreference, int localPreference, int component) {
        if (typePreference < 0 || typePreference > 126) {
            throw new IllegalArgumentException("type preference out of 0..126: " + typePreference);
        }
        if (localPreference < 0 || localPreference > 0xFFFF) {
            throw new IllegalArgumentException("local preference out of 0..65535: " + localPreference);
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component out of 1..256: " + component);
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }

    /**
     * A local preference (RFC 8445 section 5.1.2.2) for the {@code index}-th local address (0 first, in the
     * order the driver preferred them): IPv6 ahead of IPv4 on the same interface, as RFC 8421 recommends, and
     * relays reached over UDP ahead of TCP ahead of TLS.
     */
    public static int localPreference(int index, boolean ipv6, int relayTransportRank) {
        int clampedIndex = Math.min(Math.max(index, 0), 127);
        int pref = 0xFFFF - (clampedIndex << 8) - (ipv6 ? 0 : 64) - (Math.min(Math.max(relayTransportRank, 0), 3) << 4);
        return Math.max(pref, 0);
    }

    /**
     * RFC 8445 section 6.1.2.3: {@code 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)}, G the controlling agent's
     * candidate priority and D the controlled one's.
     */
    public static long pair(long controlling, long controlled) {
        // A remote priority may use all 32 bits; capped at 2^31-1 so the sum stays a positive long.
        controlling = Math.min(controlling, 0x7FFF_FFFFL);
        controlled = Math.min(controlled, 0x7FFF_FFFFL);
        long min = Math.min(controlling, controlled);
        long max = Math.max(controlling, controlled);
        return (min << 32) + 2 * max + (controlling > controlled ? 1 : 0);
    }
}
