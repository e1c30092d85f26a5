package org.rtc4j.turn;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.rtc4j.core.TransportAddress;

/**
 * The relay ports of the TURN server: random ports in the configured range, opened through
 * {@link RelaySockets}, even ones on request, and pairs whose odd half is held for a later Allocate with
 * its reservation token (RFC 8656 section 7.2) until the reservation expires.
 */
final class RelayPorts {

    /** The port after an even one, held for a later Allocate with the token. */
    record Reservation(long token, TransportAddress relay, Instant expires) {
    }

    private static final long RESERVATION_SECONDS = 30;
    private static final int ATTEMPTS = 32;

    private final TurnServerConfig config;
    private final RelaySockets sockets;
    private final Predicate<TransportAddress> taken;
    private final SplittableRandom random = new SplittableRandom();
    private final Map<Long, Reservation> reservations = new HashMap<>();
    private final ArrayDeque<Reservation> reservationOrder = new ArrayDeque<>();

    /** @param taken whether a relay address belongs to an allocation already */
    RelayPorts(TurnServerConfig config, RelaySockets sockets, Predicate<TransportAddress> taken) {
        this.config = config;
        this.sockets = sockets;
        this.taken = taken;
    }

    /** A random free port of {@code ip}, even when asked, opened; null when none could be. */
    TransportAddress open(InetAddress ip, boolean even) {
        int span = config.maxPort() - config.minPort() + 1;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = config.minPort() + random.nextInt(span);
            if (even && (port & 1) == 1) {
                port = port - 1 >= config.minPort() ? port - 1 : port + 1;
                if (port > config.maxPort()) {
                    continue;
                }
            }
            TransportAddress relay = TransportAddress.udp(ip, port);
            if (!taken.test(relay) && sockets.open(relay)) {
                return relay;
            }
        }
        return null;
    }

    /**
     * An even port, opened, and the next one opened and reserved (EVEN-PORT with R set); null when no pair
     * could be opened.
     */
    Reservation openPair(InetAddress ip, TransportAddress[] even, Instant now) {
        int pairs = (config.maxPort() - config.minPort()) / 2;
        int first = (config.minPort() + 1) & ~1;
        for (int attempt = 0; attempt < ATTEMPTS && pairs > 0; attempt++) {
            int port = first + 2 * random.nextInt(pairs);
            if (port + 1 > config.maxPort()) {
                continue;
            }
            TransportAddress low = TransportAddress.udp(ip, port);
            TransportAddress odd = TransportAddress.udp(ip, port + 1);
            if (taken.test(low) || taken.test(odd) || !sockets.open(low)) {
                continue;
            }
            if (sockets.open(odd)) {
                even[0] = low;
                Reservation made = new Reservation(random.nextLong(), odd, now.plusSeconds(RESERVATION_SECONDS));
                reservations.put(made.token(), made);
                reservationOrder.add(made);
                return made;
            }
            sockets.close(low);
        }
        return null;
    }

    /** The reservation of {@code token} if it has not expired, or null. */
    Reservation reserved(long token, Instant now) {
        Reservation r = reservations.get(token);
        return r == null || !r.expires().isAfter(now) ? null : r;
    }

    /** An Allocate took the reserved port. */
    void take(Reservation r) {
        reservations.remove(r.token());
    }

    void close(TransportAddress relay) {
        sockets.close(relay);
    }

    /** Closes the ports whose reservation expired. */
    void expire(Instant now) {
        Reservation r;
        while ((r = reservationOrder.peek()) != null && !r.expires().isAfter(now)) {
            reservationOrder.poll();
            if (reservations.remove(r.token(), r)) {
                sockets.close(r.relay());
            }
        }
    }

    /** When the oldest reservation expires, or null. */
    Instant nextExpiry() {
        Reservation r = reservationOrder.peek();
        return r == null ? null : r.expires();
    }
}
