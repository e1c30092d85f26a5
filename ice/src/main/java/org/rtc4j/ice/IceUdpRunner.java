package org.rtc4j.ice;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.rtc4j.core.Clock;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.internal.MdnsSockets;
import org.rtc4j.ice.internal.TurnTcpLinks;
import org.rtc4j.ice.mdns.MdnsResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link IceAgent} over real sockets: a non-blocking UDP socket per local address, TCP
 * connections to TURN servers opened when the agent first sends to one, and one thread that owns the agent
 * (so the agent needs no locks). Application code reaches the agent through {@link #execute} and
 * {@link #send}; events and data arrive on the runner's thread and must not block it.
 *
 * <pre>{@code
 * IceAgent agent = new IceAgent(config);
 * try (IceUdpRunner runner = IceUdpRunner.start(agent, IceUdpRunner.Settings.defaults()
 *         .events(e -> ...)              // IceEvent.LocalCandidate -> signal it
 *         .data((pair, bytes) -> ...))) {
 *     runner.execute(a -> a.setRemoteCredentials(ufrag, pwd));
 *     runner.execute(a -> a.gather(runner.now()));
 *     runner.send(ByteBuffer.wrap(bytes));
 * }
 * }</pre>
 */
public final class IceUdpRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IceUdpRunner.class);
    private static final int UDP_BATCH = 64;

    /**
     * What the runner binds and whom it tells: an immutable value, changed with its {@code with} methods.
     * {@code mdnsTargets} are where multicast DNS queries for the peer's {@code .local} candidates go (the
     * mDNS groups by default; empty: none are resolved, such peers are found as peer-reflexive).
     */
    public record Settings(List<InetAddress> addresses, int port, int receiveBufferBytes, int sendBufferBytes,
            Consumer<IceEvent> events, IceAgent.DataHandler data, Clock clock, List<TransportAddress> mdnsTargets) {

        public Settings {
            addresses = List.copyOf(addresses);
            mdnsTargets = List.copyOf(mdnsTargets);
            if (receiveBufferBytes < 0 || sendBufferBytes < 0) {
                throw new IllegalArgumentException("buffer sizes are not negative");
            }
            Objects.requireNonNull(clock, "clock");
        }

        /** The settings without mDNS targets as the first release had them (the mDNS groups then). */
        public Settings(List<InetAddress> addresses, int port, int receiveBufferBytes, int sendBufferBytes,
                Consumer<IceEvent> events, IceAgent.DataHandler data, Clock clock) {
            this(addresses, port, receiveBufferBytes, sendBufferBytes, events, data, clock, MDNS_GROUPS);
        }

        /**
         * Every non-loopback address of every interface that is up, port 0 (any free port), 4 MiB socket
         * buffers asked for (the kernel caps them at {@code net.core.rmem_max}), no listeners, {@code .local}
         * names resolved through the mDNS groups (224.0.0.251 and ff02::fb, port 5353).
         */
        public static Settings defaults() {
            return new Settings(List.of(), 0, 4 << 20, 4 << 20, e -> { }, null, Clock.system(), MDNS_GROUPS);
        }

        /** Binds these addresses (empty: {@link #hostAddresses} with the default filter). */
        public Settings addresses(List<InetAddress> value) {
            return new Settings(value, port, receiveBufferBytes, sendBufferBytes, events, data, clock, mdnsTargets);
        }

        public Settings port(int value) {
            return new Settings(addresses, value, receiveBufferBytes, sendBufferBytes, events, data, clock, mdnsTargets);
        }

        /** SO_RCVBUF and SO_SNDBUF asked for (0 leaves the system default). */
        public Settings bufferSizes(int receive, int send) {
            return new Settings(addresses, port, receive, send, events, data, clock, mdnsTargets);
        }

        public Settings events(Consumer<IceEvent> value) {
            return new Settings(addresses, port, receiveBufferBytes, sendBufferBytes, value, data, clock, mdnsTargets);
        }

        public Settings data(IceAgent.DataHandler value) {
            return new Settings(addresses, port, receiveBufferBytes, sendBufferBytes, events, value, clock, mdnsTargets);
        }

        public Settings clock(Clock value) {
            return new Settings(addresses, port, receiveBufferBytes, sendBufferBytes, events, data, value, mdnsTargets);
        }

        /**
         * Where mDNS queries go: the groups by default; a responder's unicast address in tests; empty turns
         * resolution off (the peer's {@code .local} candidates are then found as peer-reflexive).
         */
        public Settings mdnsTargets(List<TransportAddress> value) {
            return new Settings(addresses, port, receiveBufferBytes, sendBufferBytes, events, data, clock, value);
        }
    }

    /** The multicast DNS groups (RFC 6762 section 3). */
    public static final List<TransportAddress> MDNS_GROUPS = List.of(MdnsResolver.IPV4_GROUP, MdnsResolver.IPV6_GROUP);

    private final IceAgent agent;
    private final Settings settings;
    private final Selector selector;
    private final Map<TransportAddress, DatagramChannel> udp = new HashMap<>();
    private final TurnTcpLinks tcp;
    private final List<TransportAddress> local = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer in = ByteBuffer.allocateDirect(65536);
    private final Thread thread;
    private volatile boolean running = true;
    private long sendErrors;
    private final MdnsSockets mdns;

    private IceUdpRunner(IceAgent agent, Settings settings) throws IOException {
        this.agent = agent;
        this.settings = settings;
        this.selector = Selector.open();
        this.mdns = new MdnsSockets(selector, settings.clock(), settings.mdnsTargets());
        this.tcp = new TurnTcpLinks(selector);
        this.thread = Thread.ofPlatform().name("rtc4j-ice").daemon().unstarted(this::loop);
    }

    /**
     * Binds a UDP socket on each address, gives their addresses to the agent and starts the runner's thread.
     * The agent must not be used from other threads from now on but through {@link #execute}.
     *
     * @throws IOException when a socket cannot be bound; nothing stays open then
     */
    public static IceUdpRunner start(IceAgent agent, Settings settings) throws IOException {
        Objects.requireNonNull(agent, "agent");
        List<InetAddress> addresses = settings.addresses().isEmpty()
                ? hostAddresses(i -> true, false, true) : settings.addresses();
        IceUdpRunner runner = new IceUdpRunner(agent, settings);
        try {
            for (InetAddress ip : addresses) {
                runner.bind(ip);
            }
        } catch (IOException | RuntimeException e) {
            runner.closeChannels();
            throw e;
        }
        for (TransportAddress a : runner.local) {
            agent.addLocalAddress(a);
        }
        runner.thread.start();
        return runner;
    }

    /**
     * The addresses of the interfaces that are up and pass {@code filter}, loopback ones only when asked
     * (tests in a loopback-only namespace need them), IPv6 ones when asked (link-local ones never).
     */
    public static List<InetAddress> hostAddresses(Predicate<NetworkInterface> filter, boolean includeLoopback,
            boolean ipv6) throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || (nif.isLoopback() && !includeLoopback) || !filter.test(nif)) {
                continue;
            }
            for (InetAddress ip : Collections.list(nif.getInetAddresses())) {
                if ((ip instanceof Inet6Address && (!ipv6 || ip.isLinkLocalAddress()))
                        || (ip.isLoopbackAddress() && !includeLoopback)) {
                    continue;
                }
                out.add(ip);
            }
        }
        return out;
    }

    private void bind(InetAddress ip) throws IOException {
        DatagramChannel channel = DatagramChannel.open(ip instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (settings.receiveBufferBytes() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, settings.receiveBufferBytes());
            }
            if (settings.sendBufferBytes() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, settings.sendBufferBytes());
            }
            channel.bind(new InetSocketAddress(ip, settings.port()));
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind UDP on " + ip.getHostAddress() + ": " + e.getMessage(), e);
        }
        TransportAddress bound = TransportAddress.of(Transport.UDP, (InetSocketAddress) channel.getLocalAddress());
        udp.put(bound, channel);
        local.add(bound);
        channel.register(selector, SelectionKey.OP_READ, bound);
    }

    /** The bound UDP addresses. */
    public List<TransportAddress> localAddresses() {
        return List.copyOf(local);
    }

    /** The receive buffer the kernel granted on the first socket (it may cap what was asked). */
    public int receiveBufferBytes() throws IOException {
        return udp.values().iterator().next().getOption(StandardSocketOptions.SO_RCVBUF);
    }

    public Instant now() {
        return settings.clock().now();
    }

    /** Runs {@code action} on the runner's thread, with the agent. */
    public void execute(Consumer<IceAgent> action) {
        tasks.add(() -> action.accept(agent));
        selector.wakeup();
    }

    /** Runs {@code action} on the runner's thread and returns its result. */
    public <T> CompletableFuture<T> call(Function<IceAgent, T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(action.apply(agent));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        selector.wakeup();
        return result;
    }

    /** Sends application data on the selected pair (copied now; sent from the runner's thread). */
    public void send(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        execute(a -> a.send(now(), copy));
    }

    private void loop() {
        try {
            while (running) {
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("a task on the ICE runner failed", e); // the application's bug; keep running
                    }
                }
                flush();
                Instant now = now();
                Instant mdnsNext = mdns.pollTimeout();
                if (mdnsNext != null && !now.isBefore(mdnsNext)) {
                    mdns.handleTimeout(now);
                    continue;
                }
                Instant next = agent.pollTimeout();
                if (next != null && !now.isBefore(next)) {
                    agent.handleTimeout(now);
                    continue;
                }
                next = next == null ? mdnsNext : mdnsNext == null || next.isBefore(mdnsNext) ? next : mdnsNext;
                long wait = next == null ? 1000 : Math.max(1, Duration.between(now, next).toMillis());
                selector.select(Math.min(wait, 1000));
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (MdnsSockets.owns(key)) {
                        mdns.read((DatagramChannel) key.channel(), in, this::flush);
                    } else if (TurnTcpLinks.owns(key)) {
                        tcp.ready(key, in, this::input);
                    } else {
                        readUdp((DatagramChannel) key.channel(), (TransportAddress) key.attachment());
                    }
                }
            }
        } catch (ClosedSelectorException e) {
            // closed
        } catch (IOException | RuntimeException e) {
            LOG.error("ICE runner stopped", e);
        } finally {
            closeChannels();
        }
    }

    private void flush() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Transmit t; (t = agent.pollTransmit()) != null; ) {
                progress = true;
                transmit(t);
            }
            for (IceEvent e; (e = agent.pollEvent()) != null; ) {
                progress = true;
                try {
                    if (e instanceof IceEvent.Data d && settings.data() != null) {
                        settings.data().data(d.pair(), d.data());
                    } else {
                        settings.events().accept(e);
                    }
                } catch (RuntimeException failure) {
                    LOG.warn("an ICE event listener failed on {}", e, failure); // keep the connection going
                }
            }
            progress |= mdns.flush(agent);
        }
    }

    /** The resolver's counters (queries sent, answered, timed out, malformed answers). */
    public MdnsResolver.Stats mdnsStats() {
        return mdns.stats();
    }

    /** mDNS queries that could not be sent (no multicast route, for example). */
    public long mdnsSendErrors() {
        return mdns.sendErrors();
    }

    /** mDNS queries not sent because no interface that is up, not loopback, supports multicast. */
    public long mdnsSkipped() {
        return mdns.skipped();
    }

    /** Whether an interface that is up and not loopback supports multicast: a network where mDNS may work. */
    public static boolean hasMulticastInterface() {
        return MdnsSockets.hasMulticastInterface();
    }

    private void transmit(Transmit t) {
        if (t.destination().transport() == Transport.TCP) {
            if (!tcp.send(t)) {
                sendErrors++;
            }
            return;
        }
        DatagramChannel channel = udp.get(t.source());
        if (channel == null) {
            sendErrors++;
            return;
        }
        try {
            channel.send(t.payload(), t.destination().socketAddress());
        } catch (IOException e) {
            // ICMP errors and full buffers lose a datagram, as the network may: the protocols retransmit.
            sendErrors++;
        }
    }

    private void readUdp(DatagramChannel channel, TransportAddress bound) throws IOException {
        for (int i = 0; i < UDP_BATCH; i++) {
            in.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(in);
            } catch (IOException e) {
                continue; // ICMP port unreachable surfaces here on Linux; nothing to read
            }
            if (from == null) {
                return;
            }
            in.flip();
            input(TransportAddress.of(Transport.UDP, from), bound, in);
        }
    }

    /**
     * Hands what was read into {@code in} to the agent; its application data goes straight to the data
     * listener (no event and no copy per datagram), or as an {@link IceEvent.Data} copy to the event listener.
     */
    private void input(TransportAddress source, TransportAddress destination, ByteBuffer data) {
        Instant now = now();
        for (ByteBuffer d = agent.receive(now, source, destination, data); d != null; d = agent.receiveNext(now)) {
            try {
                if (settings.data() != null) {
                    settings.data().data(agent.lastReceivedPair(), d);
                } else {
                    ByteBuffer copy = ByteBuffer.allocate(d.remaining());
                    copy.put(d.duplicate()).flip();
                    settings.events().accept(new IceEvent.Data(agent.lastReceivedPair(), copy));
                }
            } catch (RuntimeException e) {
                LOG.warn("the data listener failed", e); // the application's bug; the datagram is lost
            }
        }
        flush();
    }

    /** Datagrams or segments that could not be sent. */
    public long sendErrors() {
        return sendErrors;
    }

    /** Closes the agent (releasing TURN allocations as far as a short grace allows) and the sockets. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        tasks.add(() -> {
            agent.close(now());
            flush();
            closed.complete(null);
        });
        selector.wakeup();
        try {
            closed.get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // the loop is gone or stuck: close anyway
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeChannels();
    }

    private void closeChannels() {
        mdns.close();
        for (DatagramChannel c : udp.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        tcp.close();
        try {
            selector.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
