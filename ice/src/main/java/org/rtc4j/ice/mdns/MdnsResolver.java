package org.rtc4j.ice.mdns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * Resolves {@code .local} names by multicast DNS one-shot queries (RFC 6762 section 5.1), as a sans-IO
 * {@link Engine}: {@link #resolve} queues a query to each target (the mDNS groups 224.0.0.251 and ff02::fb,
 * port 5353, or a responder a test binds on loopback), answers come in through {@link #handleInput}, and
 * every name gets one {@link Result}: its address, or none when nothing answered within the timeout (a
 * network without multicast: the caller then waits for the peer's checks, RFC 8445 peer-reflexive).
 *
 * <p>The driver sends from a socket on a port other than 5353, so responders answer by unicast to it
 * (RFC 6762 section 6.7, legacy unicast). Answers are kept for their TTL (at most {@link #MAX_TTL}) in a
 * small cache. Anyone on the link may answer: a wrong address only costs the ICE agent a check that cannot
 * authenticate, so nothing more is trusted to it.
 */
public final class MdnsResolver implements Engine<MdnsResolver.Result> {

    /** The answer for a name: {@code address} is null when no responder answered in time. */
    public record Result(String name, InetAddress address) {
    }

    /** Counters for logs and tests. */
    public record Stats(long queriesSent, long answered, long timedOut, long malformed, long unsolicited) {
    }

    public static final TransportAddress IPV4_GROUP = TransportAddress.parse(Transport.UDP, "224.0.0.251:5353");
    public static final TransportAddress IPV6_GROUP = TransportAddress.parse(Transport.UDP, "[ff02::fb]:5353");
    /** The default time a name may take, as long as a browser waits for its own mDNS answers. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration MAX_TTL = Duration.ofMinutes(2);
    static final int MAX_PENDING = 32;
    static final int MAX_CACHED = 128;
    /** One-shot queries go again after these delays when nothing answered (RFC 6762 section 5.1 allows it). */
    private static final Duration[] RETRIES = {Duration.ofMillis(250), Duration.ofMillis(750)};
    private static final TransportAddress ANY4 = TransportAddress.parse(Transport.UDP, "0.0.0.0:0");
    private static final TransportAddress ANY6 = TransportAddress.parse(Transport.UDP, "[::]:0");

    private final List<TransportAddress> targets;
    private final Duration timeout;
    private final RandomGenerator random;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Cached> cache = new LinkedHashMap<>();
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<Result> results = new ArrayDeque<>();
    private long queriesSent;
    private long answered;
    private long timedOut;
    private long malformed;
    private long unsolicited;

    private static final class Pending {
        final Instant deadline;
        int sent;
        Instant nextAt;

        Pending(Instant deadline) {
            this.deadline = deadline;
        }
    }

    private record Cached(InetAddress address, Instant expires) {
    }

    /**
     * @param targets where queries go: {@link #IPV4_GROUP} and {@link #IPV6_GROUP} on a real network
     * @param timeout how long a name may take before its result says "no answer"
     */
    public MdnsResolver(List<TransportAddress> targets, Duration timeout, RandomGenerator random) {
        this.targets = List.copyOf(targets);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.random = Objects.requireNonNull(random, "random");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * Looks a {@code .local} name up: from the cache at once, else by a query. Other names, names already
     * being looked up beyond {@link #MAX_PENDING}, and a resolver without targets give a result without
     * an address at once.
     */
    public void resolve(Instant now, String name) {
        String key = normalize(name);
        Cached c = cache.get(key);
        if (c != null && now.isBefore(c.expires)) {
            results.add(new Result(name, c.address));
            return;
        }
        if (pending.containsKey(key)) {
            return;
        }
        if (!key.endsWith(".local") || targets.isEmpty() || pending.size() >= MAX_PENDING || !validName(key)) {
            results.add(new Result(name, null));
            return;
        }
        Pending p = new Pending(now.plus(timeout));
        pending.put(key, p);
        query(now, key, p);
    }

    public Stats stats() {
        return new Stats(queriesSent, answered, timedOut, malformed, unsolicited);
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        List<MdnsRecord> records;
        try {
            records = MdnsMessage.addresses(data);
        } catch (ParseException e) {
            malformed++;
            return;
        }
        // Per name: IPv4 first when a response carries both, as ICE pairs within a family anyway.
        for (int pass = 0; pass < 2; pass++) {
            for (MdnsRecord r : records) {
                if ((r.address() instanceof Inet4Address) != (pass == 0)) {
                    continue;
                }
                if (pending.remove(r.name()) == null) {
                    unsolicited++;
                    continue;
                }
                answered++;
                Duration ttl = r.ttl().compareTo(MAX_TTL) > 0 ? MAX_TTL : r.ttl();
                if (!ttl.isZero()) {
                    cache.remove(r.name());
                    if (cache.size() >= MAX_CACHED) {
                        Iterator<String> oldest = cache.keySet().iterator();
                        oldest.next();
                        oldest.remove();
                    }
                    cache.put(r.name(), new Cached(r.address(), now.plus(ttl)));
                }
                results.add(new Result(r.name(), r.address()));
            }
        }
    }

    @Override
    public void handleTimeout(Instant now) {
        List<String> expired = null;
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (!now.isBefore(p.deadline)) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(e.getKey());
            } else if (p.nextAt != null && !now.isBefore(p.nextAt)) {
                query(now, e.getKey(), p);
            }
        }
        if (expired != null) {
            for (String name : expired) {
                pending.remove(name);
                timedOut++;
                results.add(new Result(name, null));
            }
        }
        cache.values().removeIf(c -> !now.isBefore(c.expires));
    }

    @Override
    public Transmit pollTransmit() {
        return transmits.poll();
    }

    @Override
    public Result pollEvent() {
        return results.poll();
    }

    @Override
    public Instant pollTimeout() {
        Instant next = null;
        for (Pending p : pending.values()) {
            next = min(next, p.deadline);
            next = min(next, p.nextAt);
        }
        return next;
    }

    private void query(Instant now, String name, Pending p) {
        ByteBuffer q = MdnsMessage.query(random.nextInt(0x10000), name);
        for (TransportAddress t : targets) {
            transmits.add(new Transmit(t.isIpv6() ? ANY6 : ANY4, t, q.duplicate()));
            queriesSent++;
        }
        p.nextAt = p.sent < RETRIES.length ? now.plus(RETRIES[p.sent]) : null;
        p.sent++;
    }

    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static boolean validName(String name) {
        if (name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !label.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                return false;
            }
        }
        return true;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
}
