package org.rtc4j.testkit.sim;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.rtc4j.core.Engine;
import org.rtc4j.core.TransportAddress;

/**
 * A simulated network on a virtual clock: hosts with sans-IO engines and callback endpoints, links with
 * delay, jitter, loss, duplication, reordering and rate limits, and NATs, all driven by one seeded random
 * source. Time moves only from one event (a datagram arriving, an engine's timeout, a scheduled action) to
 * the next, so a lossy minute runs in milliseconds, and the same seed replays the same {@linkplain
 * #traceDigest() trace}.
 *
 * <pre>{@code
 * SimNetwork net = new SimNetwork(42);
 * SimEngine<MyEvent> a = net.add(new MyEngine(), TransportAddress.parse(Transport.UDP, "10.0.0.1:5000"));
 * SimEngine<MyEvent> b = net.add(new MyEngine(), TransportAddress.parse(Transport.UDP, "10.0.0.2:5000"));
 * net.link(a, b, LinkConfig.builder().delay(Duration.ofMillis(40)).loss(0.2).build());
 * assertThat(net.runUntil(() -> b.hasEvent(e -> e instanceof Connected), Duration.ofSeconds(60))).isTrue();
 * }</pre>
 *
 * Nodes of one realm (the public network, or the inside of a {@link Nat}) without a link of their own are
 * joined, when they first talk, by a link with the realm's default config ({@link #defaultLink}, ideal
 * unless set). Not thread-safe: one test thread drives it.
 */
public final class SimNetwork {

    /** Events at one simulated instant beyond which the network calls it a livelock. */
    private static final int MAX_EVENTS_AT_ONE_INSTANT = 1_000_000;
    private static final int RECENT_TRACE = 64;

    private final long seed;
    private final SplittableRandom seeds;
    private final VirtualClock clock;
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private long sequence;
    private final Realm publicRealm = new Realm("public", null);
    private final List<SimEngine<?>> engines = new ArrayList<>();
    private final List<SimHost> hosts = new ArrayList<>();
    private final List<Nat> nats = new ArrayList<>();
    private final Map<LinkKey, SimLink> links = new LinkedHashMap<>();
    private int nodeIds;
    private boolean userCodeRan;
    private long eventsProcessed;
    private long sameInstantEvents;
    private long droppedUnroutable;
    private long droppedNoListener;

    private long traceDigest = 0xcbf29ce484222325L;
    private long traceCount;
    private boolean recordTrace;
    private final List<TraceEntry> trace = new ArrayList<>();
    private final ArrayDeque<TraceEntry> recent = new ArrayDeque<>();
    private final List<Consumer<TraceEntry>> traceListeners = new ArrayList<>();

    public SimNetwork(long seed) {
        this(seed, VirtualClock.DEFAULT_START);
    }

    public SimNetwork(long seed, Instant start) {
        this.seed = seed;
        this.seeds = new SplittableRandom(seed);
        this.clock = new VirtualClock(start);
    }

    public long seed() {
        return seed;
    }

    public VirtualClock clock() {
        return clock;
    }

    public Instant now() {
        return clock.now();
    }

    /** Simulated time since the start. */
    public Duration elapsed() {
        return clock.elapsed();
    }

    // --- Building the network ---------------------------------------------------------------------------

    /** A public host with these literal IP addresses. */
    public SimHost host(String... ips) {
        return host(publicRealm, ips);
    }

    /**
     * Binds an engine to public addresses, on the host that has their IP (made when there is none). All the
     * addresses must belong to one host.
     */
    public <E> SimEngine<E> add(Engine<E> engine, TransportAddress... addresses) {
        return hostFor(addresses).add(engine, addresses);
    }

    /** A callback endpoint on a public address (its host is made when there is none). */
    public SimEndpoint endpoint(TransportAddress address, DatagramHandler handler) {
        return hostFor(address).endpoint(address, handler);
    }

    /** A public endpoint that records what it receives. */
    public SimEndpoint endpoint(TransportAddress address) {
        return endpoint(address, null);
    }

    /** A NAT whose outside is the public network, at {@code publicIp}. */
    public Nat nat(String publicIp, NatConfig config) {
        return nat(publicRealm, publicIp, config);
    }

    /** The config of links made on first use between public nodes (ideal unless set). */
    public SimNetwork defaultLink(LinkConfig config) {
        publicRealm.defaultLink = Objects.requireNonNull(config, "config");
        return this;
    }

    /** Links two nodes with the same config in both directions (or reconfigures their link). */
    public SimLink link(SimNode a, SimNode b, LinkConfig both) {
        return link(a, b, both, both);
    }

    /** Links two nodes with one config per direction (or reconfigures their link). */
    public SimLink link(SimNode a, SimNode b, LinkConfig aToB, LinkConfig bToA) {
        Node na = nodeOf(a);
        Node nb = nodeOf(b);
        SimLink link = linkFor(commonRealm(na, nb), na, nb);
        link.direction(na).configure(aToB);
        link.direction(nb).configure(bToA);
        return link;
    }

    /** The link between two nodes (made with the realm's default config when there is none yet). */
    public SimLink link(SimNode a, SimNode b) {
        Node na = nodeOf(a);
        Node nb = nodeOf(b);
        return linkFor(commonRealm(na, nb), na, nb);
    }

    public List<SimLink> links() {
        return List.copyOf(links.values());
    }

    public List<SimHost> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    public List<Nat> nats() {
        return Collections.unmodifiableList(nats);
    }

    // --- Running ------------------------------------------------------------------------------------------

    /**
     * Runs until {@code condition} holds (checked before every event) or {@code limit} of simulated time has
     * passed; returns whether it holds. When it does not, the clock ends at the limit.
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        long deadline = deadline(limit);
        settle();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Scheduled next = queue.peek();
            if (next == null || next.at > deadline) {
                if (deadline != Long.MAX_VALUE) {
                    clock.advanceToNanos(deadline);
                }
                return condition.getAsBoolean();
            }
            process(queue.poll());
        }
    }

    /** Runs every event of the next {@code duration}, then sets the clock to its end. */
    public void runFor(Duration duration) {
        long deadline = deadline(duration);
        settle();
        for (Scheduled next; (next = queue.peek()) != null && next.at <= deadline; ) {
            process(queue.poll());
        }
        if (deadline != Long.MAX_VALUE) {
            clock.advanceToNanos(deadline);
        }
    }

    /**
     * Runs until nothing is scheduled (no datagram in flight, no timeout pending) or {@code limit} has
     * passed; returns whether the network went idle.
     */
    public boolean runUntilIdle(Duration limit) {
        return runUntil(queue::isEmpty, limit);
    }

    /** Processes the next event, if any; returns whether there was one. */
    public boolean step() {
        settle();
        Scheduled next = queue.poll();
        if (next == null) {
            return false;
        }
        process(next);
        return true;
    }

    /** When the next event is due, or null when nothing is scheduled. */
    public Instant nextEventTime() {
        settle();
        Scheduled next = queue.peek();
        return next == null ? null : clock.toInstant(next.at);
    }

    /** Runs {@code action} (test code) after {@code delay} of simulated time. */
    public void schedule(Duration delay, Runnable action) {
        scheduleAt(clock.now().plus(delay), action);
    }

    /** Runs {@code action} (test code) at {@code time} (or now, when that has passed). */
    public void scheduleAt(Instant time, Runnable action) {
        Objects.requireNonNull(action, "action");
        long at = Math.max(clock.toNanos(time), clock.nanos());
        schedule(at, () -> {
            traceNote(TraceKind.ACTION, "test");
            userCodeRan();
            action.run();
        });
    }

    /** Events (arrivals, timeouts, actions) processed so far. */
    public long eventsProcessed() {
        return eventsProcessed;
    }

    /** Datagrams dropped for want of a route (an address no node of the realm has, and no gateway). */
    public long droppedUnroutable() {
        return droppedUnroutable;
    }

    /** Datagrams that reached a host where nothing is bound to their destination. */
    public long droppedNoListener() {
        return droppedNoListener;
    }

    // --- Trace -----------------------------------------------------------------------------------------------

    /**
     * A 64-bit digest of every trace step so far (always kept, cheap): two runs with the same seed and the
     * same test code have equal digests.
     */
    public long traceDigest() {
        return traceDigest;
    }

    /** Trace steps so far. */
    public long traceCount() {
        return traceCount;
    }

    /** Keeps every trace entry from now on ({@link #trace()}); off by default, as a long run makes many. */
    public SimNetwork recordTrace(boolean record) {
        this.recordTrace = record;
        return this;
    }

    /** The entries kept since {@link #recordTrace(boolean) recordTrace(true)}. */
    public List<TraceEntry> trace() {
        return Collections.unmodifiableList(trace);
    }

    /** The last steps (always kept), oldest first: for a failure message. */
    public List<TraceEntry> recentTrace() {
        return List.copyOf(recent);
    }

    /** Calls {@code listener} with every trace step (to print a run while debugging it). */
    public SimNetwork onTrace(Consumer<TraceEntry> listener) {
        traceListeners.add(listener);
        return this;
    }

    // --- Internals --------------------------------------------------------------------------------------------

    int nextNodeId() {
        return nodeIds++;
    }

    SplittableRandom newRandom() {
        return seeds.split();
    }

    void registerEngine(SimEngine<?> engine) {
        engines.add(engine);
    }

    SimHost host(Realm realm, String... ips) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String ip : ips) {
            addresses.add(TransportAddress.parseIp(ip));
        }
        return newHost(realm, addresses);
    }

    private SimHost newHost(Realm realm, List<InetAddress> ips) {
        SimHost host = new SimHost(this, realm, ips);
        hosts.add(host);
        return host;
    }

    Nat nat(Realm outer, String publicIp, NatConfig config) {
        Nat nat = new Nat(this, outer, TransportAddress.parseIp(publicIp), config);
        nats.add(nat);
        return nat;
    }

    private SimHost hostFor(TransportAddress... addresses) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("at least one address is needed");
        }
        SimHost found = null;
        List<InetAddress> missing = new ArrayList<>();
        for (TransportAddress address : addresses) {
            Node owner = publicRealm.owner(address.ip());
            if (owner == null) {
                if (!missing.contains(address.ip())) {
                    missing.add(address.ip());
                }
            } else if (owner instanceof SimHost host) {
                if (found != null && found != host) {
                    throw new IllegalArgumentException("the addresses belong to different hosts: "
                            + List.of(addresses));
                }
                found = host;
            } else {
                throw new IllegalArgumentException(address.ip().getHostAddress() + " belongs to "
                        + owner.nodeName() + ", not to a host");
            }
        }
        if (found == null) {
            return newHost(publicRealm, missing);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing + " are not addresses of host " + found.name()
                    + "; make multi-address hosts with host(ip, ip, ...)");
        }
        return found;
    }

    static Node nodeOf(SimNode node) {
        return switch (node) {
            case SimHost host -> host;
            case Nat nat -> nat;
            case SimEngine<?> engine -> engine.host();
            case SimEndpoint endpoint -> endpoint.host();
        };
    }

    private static List<Realm> realmsOf(Node node) {
        return switch (node) {
            case SimHost host -> List.of(host.realm);
            case Nat nat -> List.of(nat.outer, nat.inner);
        };
    }

    private static Realm commonRealm(Node a, Node b) {
        if (a == b) {
            throw new IllegalArgumentException("a link needs two different nodes: " + a.nodeName());
        }
        for (Realm realm : realmsOf(a)) {
            if (realmsOf(b).contains(realm)) {
                return realm;
            }
        }
        throw new IllegalArgumentException(a.nodeName() + " and " + b.nodeName()
                + " are in different address spaces (a NAT's inside and outside): link each to the NAT");
    }

    SimLink linkFor(Realm realm, Node a, Node b) {
        LinkKey key = a.id < b.id ? new LinkKey(a, b) : new LinkKey(b, a);
        SimLink link = links.get(key);
        if (link == null) {
            link = new SimLink(this, realm, key.low(), key.high(), realm.defaultLink, realm.defaultLink);
            links.put(key, link);
        }
        return link;
    }

    /** Sends a datagram from {@code from} into {@code realm}: to the node that has its address, else the gateway. */
    void route(Node from, Realm realm, Packet p) {
        Node owner = realm.owner(p.destination().ip());
        Node next;
        if (owner != null && owner != from) {
            next = owner;
        } else if (owner == null && realm.gateway != null && realm.gateway != from) {
            next = realm.gateway;
        } else {
            dropUnroutable(from.nodeName(), p);
            return;
        }
        linkFor(realm, from, next).direction(from).send(p);
    }

    void dropUnroutable(String place, Packet p) {
        droppedUnroutable++;
        trace(TraceKind.UNROUTABLE, place, p);
    }

    void dropNoListener(String place, Packet p) {
        droppedNoListener++;
        trace(TraceKind.NO_LISTENER, place, p);
    }

    void schedule(long at, Runnable action) {
        queue.add(new Scheduled(at, false, sequence++, action));
    }

    /**
     * An engine's timeout: at one instant it comes after the datagrams that arrive then, as with a driver that
     * reads its sockets before it serves its timers (so a reply arriving just as a retransmission timer
     * expires is seen first, as the engine would see it on real sockets most of the time).
     */
    void scheduleTimer(long at, Runnable action) {
        queue.add(new Scheduled(at, true, sequence++, action));
    }

    void userCodeRan() {
        userCodeRan = true;
    }

    private void process(Scheduled event) {
        // An event due before now (the test moved the clock itself) runs now.
        if (event.at <= clock.nanos()) {
            if (++sameInstantEvents > MAX_EVENTS_AT_ONE_INSTANT) {
                throw new IllegalStateException("livelock: more than " + MAX_EVENTS_AT_ONE_INSTANT
                        + " events at " + clock.elapsed() + " without time moving (an engine whose pollTimeout()"
                        + " stays in the past?); last steps:\n" + String.join("\n",
                                recentTrace().stream().map(TraceEntry::toString).toList()));
            }
        } else {
            sameInstantEvents = 0;
            clock.advanceToNanos(event.at);
        }
        eventsProcessed++;
        userCodeRan = false;
        event.action.run();
        if (userCodeRan) {
            settle();
        }
    }

    /** Drains every engine until none has anything to send: picks up what test code did to them. */
    private void settle() {
        for (int round = 0; ; round++) {
            boolean any = false;
            for (SimEngine<?> engine : List.copyOf(engines)) {
                any |= engine.drain();
            }
            if (!any) {
                return;
            }
            if (round > 100_000) {
                throw new IllegalStateException("livelock: engines keep producing output without time moving");
            }
        }
    }

    private long deadline(Duration limit) {
        if (limit.isNegative()) {
            throw new IllegalArgumentException("negative limit: " + limit);
        }
        long nanos;
        try {
            nanos = limit.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        long deadline = clock.nanos() + nanos;
        return deadline < 0 ? Long.MAX_VALUE : deadline;
    }

    void trace(TraceKind kind, String place, Packet p) {
        record(kind, place, p.source(), p.destination(), p.data().length, p.crc());
    }

    void traceNote(TraceKind kind, String place) {
        record(kind, place, null, null, 0, 0);
    }

    private void record(TraceKind kind, String place, TransportAddress source, TransportAddress destination,
            int length, int crc) {
        traceCount++;
        long d = traceDigest;
        d = mix(d, clock.nanos());
        d = mix(d, kind.ordinal());
        d = mix(d, place.hashCode());
        d = mix(d, stableHash(source));
        d = mix(d, stableHash(destination));
        d = mix(d, length);
        d = mix(d, crc);
        traceDigest = d;
        TraceEntry entry = new TraceEntry(clock.elapsed(), kind, place, source, destination, length, crc);
        if (recent.size() == RECENT_TRACE) {
            recent.removeFirst();
        }
        recent.addLast(entry);
        if (recordTrace) {
            trace.add(entry);
        }
        for (Consumer<TraceEntry> listener : traceListeners) {
            listener.accept(entry);
        }
    }

    private static long mix(long digest, long value) {
        // FNV-1a over the value's 8 bytes: stable across JVMs (unlike identity or enum hash codes).
        long d = digest;
        for (int i = 0; i < 8; i++) {
            d ^= (value >>> (8 * i)) & 0xFF;
            d *= 0x100000001b3L;
        }
        return d;
    }

    private static long stableHash(TransportAddress address) {
        if (address == null) {
            return 0;
        }
        long h = address.transport().ordinal();
        for (byte b : address.ip().getAddress()) {
            h = h * 31 + (b & 0xFF);
        }
        return h * 65537 + address.port();
    }

    private record LinkKey(Node low, Node high) {
    }

    private record Scheduled(long at, boolean timer, long seq, Runnable action) implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled o) {
            int c = Long.compare(at, o.at);
            if (c == 0) {
                c = Boolean.compare(timer, o.timer);
            }
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    @Override
    public String toString() {
        return "SimNetwork[seed=" + seed + ", t=+" + clock.elapsed() + ", " + hosts.size() + " hosts, "
                + nats.size() + " NATs, " + links.size() + " links, " + queue.size() + " pending]";
    }
}
