package org.rtc4j.turn;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.rtc4j.core.TransportAddress;

/**
 * The relay ports of the TURN server: random ports in the configured range, asked of the driver one at a time
 * ({@link TurnEvent.OpenRelay}, answered by {@link #opened}), even ones on request, and pairs whose odd half
 * is held for a later Allocate with its reservation token (RFC 8656 section 7.2) until the reservation
 * expires. A port the driver cannot open is replaced by another, up to {@value #ATTEMPTS} tries.
 */
final class RelayPorts {

    /**
     * The port after an even one, held for a later Allocate by the same user with the token; it holds a
     * quota slot of the user and client address that reserved it.
     */
    record Reservation(long token, TransportAddress relay, Instant expires, String user, InetAddress client) {
    }

    /** The ports of one Allocate while they are being opened. */
    static final class Opening {
        final List<InetAddress> ips;
        final boolean even;
        final boolean pair;
        final BiConsumer<Opening, Instant> done;
        final String user;
        final InetAddress client;
        /** The ports opened, one per address family asked for (the even one of a pair); empty on failure. */
        final List<TransportAddress> opened = new ArrayList<>(2);
        /** With a pair: the odd port, reserved. */
        Reservation reservation;
        boolean failed;
        private int ip;
        private int attempts;
        private TransportAddress low;
        /** Ports the driver could not open for this search: not asked again (at most two per attempt). */
        private final List<TransportAddress> refused = new ArrayList<>(4);

        private Opening(List<InetAddress> ips, boolean even, boolean pair, String user, InetAddress client,
                BiConsumer<Opening, Instant> done) {
            this.ips = ips;
            this.user = user;
            this.client = client;
            this.even = even;
            this.pair = pair;
            this.done = done;
        }
    }

    private static final long RESERVATION_SECONDS = 30;
    private static final int ATTEMPTS = 32;
    /** Draws of a random port per search, refused ones drawn again included: bounded even in a tiny range. */
    private static final int MAX_DRAWS = 8 * ATTEMPTS;

    private final TurnServerConfig config;
    private final ArrayDeque<TurnEvent> events;
    private final Predicate<TransportAddress> taken;
    /** Ports and tokens (a secret: whoever knows one takes the port); the kernel's CSPRNG unless a test seeds it. */
    private final RandomGenerator random;
    private final Consumer<Reservation> expired;
    private final Map<TransportAddress, Opening> waiting = new HashMap<>();
    private final Map<Long, Reservation> reservations = new HashMap<>();
    private final Map<TransportAddress, Reservation> reservedPorts = new HashMap<>();
    private final ArrayDeque<Reservation> reservationOrder = new ArrayDeque<>();

    /**
     * @param taken whether a relay address belongs to an allocation already
     * @param expired told of each reservation given up unused
     */
    RelayPorts(TurnServerConfig config, ArrayDeque<TurnEvent> events, Predicate<TransportAddress> taken,
            Consumer<Reservation> expired) {
        this.config = config;
        this.random = config.random();
        this.expired = expired;
        this.events = events;
        this.taken = taken;
    }

    /**
     * Starts opening a port of each of {@code ips} (even ones when asked), or an even port and the next one
     * when {@code pair}; {@code done} is called once all are open or the search gave up ({@link
     * Opening#failed}), possibly before this returns. A reservation is made for {@code user} at {@code client}.
     */
    Opening open(List<InetAddress> ips, boolean even, boolean pair, String user, InetAddress client, Instant now,
            BiConsumer<Opening, Instant> done) {
        Opening o = new Opening(ips, even, pair, user, client, done);
        next(o, now);
        return o;
    }

    /** The driver's answer for a port asked for with {@link TurnEvent.OpenRelay}. */
    void opened(TransportAddress relay, boolean ok, Instant now) {
        Opening o = waiting.remove(relay);
        if (o == null) {
            if (ok) {
                close(relay); // nobody waits for it (the Allocate was given up)
            }
            return;
        }
        if (!ok) {
            o.refused.add(relay);
            if (o.low != null) {
                close(o.low); // the odd port failed: the even one goes too, and another pair is tried
                o.low = null;
            }
            next(o, now);
        } else if (o.pair && o.low == null) {
            o.low = relay;
            ask(o, relay.withPort(relay.port() + 1));
        } else if (o.pair) {
            o.opened.add(o.low);
            long token;
            do {
                token = random.nextLong();
            } while (reservations.containsKey(token));
            o.reservation = new Reservation(token, relay, now.plusSeconds(RESERVATION_SECONDS), o.user, o.client);
            reservations.put(token, o.reservation);
            reservedPorts.put(relay, o.reservation);
            reservationOrder.add(o.reservation);
            o.done.accept(o, now);
        } else {
            o.opened.add(relay);
            o.ip++;
            o.attempts = 0;
            if (o.ip == o.ips.size()) {
                o.done.accept(o, now);
            } else {
                next(o, now);
            }
        }
    }

    /** Gives up an opening: ports opened so far are closed, and answers still to come are ignored. */
    void cancel(Opening o) {
        waiting.values().removeIf(w -> w == o);
        if (o.low != null) {
            close(o.low);
        }
        o.opened.forEach(this::close);
        o.opened.clear();
    }

    private boolean free(TransportAddress relay) {
        return !taken.test(relay) && !waiting.containsKey(relay) && !reservedPorts.containsKey(relay);
    }

    /**
     * Asks for the next candidate port, or gives up after {@value #ATTEMPTS} tries. A port the driver refused
     * for this search is drawn again without counting as a try (a small range repeats draws often), within a
     * bound on the draws.
     */
    private void next(Opening o, Instant now) {
        int draws = 0;
        if (o.pair) {
            int pairs = (config.maxPort() - config.minPort()) / 2;
            int first = (config.minPort() + 1) & ~1;
            while (o.attempts < ATTEMPTS && pairs > 0 && draws++ < MAX_DRAWS) {
                int port = first + 2 * random.nextInt(pairs);
                if (port + 1 > config.maxPort()) {
                    o.attempts++;
                    continue;
                }
                TransportAddress low = TransportAddress.udp(o.ips.get(0), port);
                if (o.refused.contains(low) || o.refused.contains(low.withPort(port + 1))) {
                    continue;
                }
                o.attempts++;
                if (free(low) && free(low.withPort(port + 1))) {
                    ask(o, low);
                    return;
                }
            }
        } else {
            int span = config.maxPort() - config.minPort() + 1;
            while (o.attempts < ATTEMPTS && draws++ < MAX_DRAWS) {
                int port = config.minPort() + random.nextInt(span);
                if (o.even && (port & 1) == 1) {
                    port = port - 1 >= config.minPort() ? port - 1 : port + 1;
                    if (port > config.maxPort()) {
                        o.attempts++;
                        continue;
                    }
                }
                TransportAddress relay = TransportAddress.udp(o.ips.get(o.ip), port);
                if (o.refused.contains(relay)) {
                    continue;
                }
                o.attempts++;
                if (free(relay)) {
                    ask(o, relay);
                    return;
                }
            }
        }
        o.failed = true;
        o.opened.forEach(this::close);
        o.opened.clear();
        o.done.accept(o, now);
    }

    private void ask(Opening o, TransportAddress relay) {
        waiting.put(relay, o);
        events.add(new TurnEvent.OpenRelay(relay));
    }

    /**
     * The reservation of {@code token} if {@code user} made it and it has not expired, or null: RFC 8656
     * section 7.2 rejects a token the server does not know, and another user's token is one it does not know
     * for this user (so a guessed or overheard token takes nothing).
     */
    Reservation reserved(long token, String user, Instant now) {
        Reservation r = reservations.get(token);
        return r == null || !r.user().equals(user) || !r.expires().isAfter(now) ? null : r;
    }

    /** How many ports are reserved (each counts as an allocation against the total). */
    int reservedCount() {
        return reservations.size();
    }

    /** An Allocate took the reserved port. */
    void take(Reservation r) {
        reservations.remove(r.token());
        reservedPorts.remove(r.relay());
    }

    void close(TransportAddress relay) {
        events.add(new TurnEvent.CloseRelay(relay));
    }

    /** Closes the ports whose reservation expired. */
    void expire(Instant now) {
        Reservation r;
        while ((r = reservationOrder.peek()) != null && !r.expires().isAfter(now)) {
            reservationOrder.poll();
            if (reservations.remove(r.token(), r)) {
                reservedPorts.remove(r.relay());
                close(r.relay());
                expired.accept(r);
            }
        }
    }

    /** When the oldest reservation expires, or null. */
    Instant nextExpiry() {
        Reservation r = reservationOrder.peek();
        return r == null ? null : r.expires();
    }
}
