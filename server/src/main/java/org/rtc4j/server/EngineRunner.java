package org.rtc4j.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import javax.net.ssl.SSLContext;
import java.util.Map;
import java.util.Objects;
import org.rtc4j.core.Clock;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.turn.TurnEvent;
import org.rtc4j.turn.TurnServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one sans-IO server engine (the STUN or the TURN server of module turn) on real sockets: UDP, TCP and
 * TLS listeners, non-blocking NIO, one thread. A driver, so it lives here with the commands that use it, outside
 * the engine modules. For the TURN server it also opens and closes the relay sockets the server asks for
 * ({@link TurnEvent}), tells it when a client's TCP connection closes, and relays through its allocation-free
 * path ({@link TurnServer#relay}).
 * The engine is only ever called from that thread, so it needs no locks. Datagrams go to the engine as they
 * are; TCP streams are cut into STUN messages and ChannelData frames (RFC 8489 section 6.2.2, RFC 8656
 * section 12.5) by {@link TcpConnection} first, within the bounds of {@link TcpLimits} ({@link TcpConnections}).
 *
 * <pre>{@code
 * try (var runner = EngineRunner.start(new StunServer(), List.of(TransportAddress.udp(ip, 3478)))) {
 *     System.err.println("listening on " + runner.localAddresses());
 *     runner.awaitTermination();
 * }
 * }</pre>
 */
public final class EngineRunner implements AutoCloseable {

    /** Made at the first message, not at start: Logback's set-up costs a server a tenth of its start-up CPU. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(EngineRunner.class);
    }

    /** Datagrams read per socket per wake-up, so one busy socket cannot starve the others. */
    private static final int UDP_BATCH = 64;
    private static final int RECEIVE_BUFFER = 4 << 20;
    /** Remote addresses kept for reuse; past this many the caches start over (bounded memory under spoofing). */
    private static final int MAX_REMOTES = 16384;
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(10);

    private static final int RELAY_RECEIVE_BUFFER = 1 << 20;
    /** Room for bursts: a full send buffer drops the datagram (counted in {@link #sendDrops()}). */
    private static final int SEND_BUFFER = 1 << 20;

    private Engine<?> engine;
    private final Clock clock;
    private final Selector selector;
    private final Map<TransportAddress, DatagramChannel> udp = new HashMap<>();
    private final TcpConnections tcp;
    private final List<TransportAddress> local = new ArrayList<>();
    private final List<TransportAddress> tlsLocal = new ArrayList<>();
    private final ByteBuffer datagram = ByteBuffer.allocateDirect(65536);
    /** The engine when it is the TURN server (relay sockets, TCP connections, the allocation-free relay path). */
    private TurnServer turn;
    /** The buffer the TURN server's relay path writes into. */
    private final ByteBuffer relayed = ByteBuffer.allocateDirect(65536 + 64);
    /**
     * Remote addresses seen lately, both ways, so that a datagram costs no TransportAddress or
     * InetSocketAddress (the JDK hands back the same sender object while it does not change).
     */
    private final Map<InetSocketAddress, TransportAddress> remotes = new HashMap<>();
    private final Map<TransportAddress, InetSocketAddress> socketAddresses = new HashMap<>();
    private InetSocketAddress lastFrom;
    private TransportAddress lastRemote;
    private final Thread thread;
    private volatile boolean running = true;
    private long engineFailures;
    private volatile long sendDrops;
    private Instant nextHousekeeping = Instant.MIN;
    /** Datagrams to read per socket per wake-up: 1, or {@link #UDP_BATCH} after a wake-up that filled it. */
    private int batch = 1;
    private boolean backlog;
    private Instant selectedAt;
    private final java.util.function.Consumer<SelectionKey> onSelected = this::onSelected;

    private EngineRunner(Clock clock, TcpLimits limits) throws IOException {
        this.clock = clock;
        this.selector = Selector.open();
        this.tcp = new TcpConnections(limits, new TcpConnections.Owner() {
            @Override
            public void frame(TcpConnection connection, ByteBuffer frame, Instant now) {
                guarded(() -> engine.handleInput(now, connection.id.remote(), connection.id.local(), frame));
                flush();
            }

            @Override
            public void closed(TcpConnection connection) {
                if (turn != null) {
                    guarded(() -> turn.connectionClosed(clock.now(), connection.id.local(), connection.id.remote()));
                    flush();
                }
            }
        });
        this.thread = Thread.ofPlatform().name("rtc4j-engine").unstarted(this::loop);
    }

    /**
     * Binds every address (a UDP socket or a TCP listener, as its transport says; port 0 picks a free port)
     * and starts the engine's thread.
     *
     * @throws IOException when an address cannot be bound; nothing is left open then
     */
    public static EngineRunner start(Engine<?> engine, List<TransportAddress> addresses) throws IOException {
        return start(engine, addresses, Clock.system());
    }

    public static EngineRunner start(Engine<?> engine, List<TransportAddress> addresses, Clock clock)
            throws IOException {
        return start(engine, addresses, List.of(), null, TcpLimits.defaults(), clock);
    }

    /**
     * As {@link #start(Engine, List, Clock)}, with TLS listeners besides (TCP addresses whose connections start
     * with a TLS handshake, {@code turns:}) and the bounds on TCP connections.
     *
     * @param tlsAddresses TCP addresses to listen on with TLS (port 0 picks a free port); none without {@code tls}
     * @param tls the server's certificate and key, or null for no TLS listener
     */
    public static EngineRunner start(Engine<?> engine, List<TransportAddress> addresses,
            List<TransportAddress> tlsAddresses, SSLContext tls, TcpLimits limits, Clock clock) throws IOException {
        if (!tlsAddresses.isEmpty() && tls == null) {
            throw new IllegalArgumentException("TLS listeners need a certificate");
        }
        EngineRunner runner = new EngineRunner(clock, limits);
        try {
            runner.engine = Objects.requireNonNull(engine, "engine");
            runner.turn = engine instanceof TurnServer t ? t : null;
            for (TransportAddress address : addresses) {
                runner.local.add(runner.bind(address, null));
            }
            for (TransportAddress address : tlsAddresses) {
                runner.tlsLocal.add(runner.bind(TransportAddress.tcp(address.ip(), address.port()), tls));
            }
        } catch (IOException | RuntimeException e) {
            runner.closeChannels();
            throw e;
        }
        runner.thread.start();
        return runner;
    }

    private TransportAddress bind(TransportAddress address, SSLContext tls) throws IOException {
        InetSocketAddress socketAddress = address.socketAddress();
        if (address.transport() == Transport.UDP) {
            return bindUdp(address, RECEIVE_BUFFER);
        } else {
            ServerSocketChannel channel = ServerSocketChannel.open(address.isIpv6()
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(socketAddress, 256);
                channel.configureBlocking(false);
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot listen on TCP " + address + ": " + e.getMessage(), e);
            }
            TransportAddress bound = TransportAddress.of(Transport.TCP, (InetSocketAddress) channel.getLocalAddress());
            channel.register(selector, SelectionKey.OP_ACCEPT, new TcpConnections.Listener(bound, tls));
            return bound;
        }
    }

    private TransportAddress bindUdp(TransportAddress address, int receiveBuffer) throws IOException {
        DatagramChannel channel = DatagramChannel.open(address.isIpv6()
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
            channel.bind(address.socketAddress());
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind UDP " + address + ": " + e.getMessage(), e);
        }
        TransportAddress bound = TransportAddress.of(Transport.UDP, (InetSocketAddress) channel.getLocalAddress());
        udp.put(bound, channel);
        channel.register(selector, SelectionKey.OP_READ, bound);
        return bound;
    }

    /** For the TURN server, on the runner's thread: binds a relay socket at exactly this address. */
    private boolean openRelay(TransportAddress relay) {
        if (udp.containsKey(relay)) {
            return false;
        }
        try {
            bindUdp(relay, RELAY_RECEIVE_BUFFER);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** For the TURN server, on the runner's thread: closes a relay socket. */
    private void closeRelay(TransportAddress relay) {
        DatagramChannel channel = udp.remove(relay);
        if (channel != null) {
            closeQuietly(channel);
        }
    }

    /** Datagrams dropped because their socket's send buffer was full or their socket was gone. */
    public long sendDrops() {
        return sendDrops;
    }

    /** Relay sockets and listeners open now (for tests and metrics). */
    int udpSockets() {
        return udp.size();
    }

    /** The bound addresses, in the order given (with the ports chosen for port 0). */
    public List<TransportAddress> localAddresses() {
        return List.copyOf(local);
    }

    /** The bound TLS listeners (TCP addresses), in the order given. */
    public List<TransportAddress> tlsAddresses() {
        return List.copyOf(tlsLocal);
    }

    /** TCP and TLS connections open now; racy from another thread, for tests and metrics. */
    int tcpConnections() {
        return tcp.size();
    }

    /** TCP and TLS connections refused at accept for a limit; racy from another thread. */
    long refusedConnections() {
        return tcp.refused();
    }

    /** Blocks until {@link #close()} is called (from another thread) or the runner fails. */
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    /** Stops the thread and closes every socket. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        try {
            while (running) {
                turn();
            }
        } catch (IOException | ClosedSelectorException e) {
            Log.LOG.error("engine runner stopped: {}", e.toString());
        } finally {
            closeChannels();
        }
    }

    /**
     * One wake-up: wait for the sockets or the engine's next timer, serve what is ready. A method of its own, as
     * in the peer connection's IoLoop: the JIT compiles it after a few hundred wake-ups, where the body of
     * {@link #loop()}, entered once, waited for on-stack replacement (60,000 turns) and ran interpreted through a
     * short server's whole run (issue 23: the TURN server's relaying thread 7 % cheaper under uclient).
     */
    private void turn() throws IOException {
        Instant now = clock.now();
        Instant wake = engine.pollTimeout();
        Instant until = wake == null || wake.isAfter(nextHousekeeping) ? nextHousekeeping : wake;
        batch = backlog ? UDP_BATCH : 1;
        backlog = false;
        // Keys are handled as the selector reports them: no selected-key set to fill and empty.
        if (until.isAfter(now)) {
            long millis = Math.max(1, until.toEpochMilli() - now.toEpochMilli());
            selector.select(onSelected, Math.min(millis, HOUSEKEEPING.toMillis()));
        } else {
            selector.selectNow(onSelected);
        }
        now = selectedAt != null ? selectedAt : clock.now();
        selectedAt = null;
        wake = engine.pollTimeout();
        if (wake != null && !wake.isAfter(now)) {
            guarded(() -> engine.handleTimeout(clock.now()));
            flush();
        }
        if (!now.isBefore(nextHousekeeping)) {
            closeIdle(now);
            nextHousekeeping = now.plus(HOUSEKEEPING);
        }
    }

    private void onSelected(SelectionKey key) {
        if (selectedAt == null) {
            selectedAt = clock.now(); // one reading of the clock per wake-up
        }
        handle(key, selectedAt);
    }

    private void handle(SelectionKey key, Instant now) {
        if (!key.isValid()) {
            return;
        }
        try {
            if (key.channel() instanceof DatagramChannel channel) {
                readDatagrams(channel, (TransportAddress) key.attachment(), now);
            } else if (key.channel() instanceof ServerSocketChannel server) {
                tcp.accept(server, (TcpConnections.Listener) key.attachment(), selector, now);
            } else if (key.attachment() instanceof TcpConnection connection) {
                if (key.isWritable()) {
                    connection.writePending();
                }
                if (key.isValid() && key.isReadable()) {
                    tcp.read(connection, now);
                }
            }
        } catch (IOException e) {
            if (key.attachment() instanceof TcpConnection connection) {
                tcp.close(connection);
            } else {
                Log.LOG.warn("socket error on {}: {}", key.attachment(), e.toString());
            }
        }
    }

    private void readDatagrams(DatagramChannel channel, TransportAddress localAddress, Instant now)
            throws IOException {
        // Lightly loaded, one datagram per wake-up saves the receive that finds nothing; once a socket has a
        // backlog, read in batches (selection is level-triggered, so nothing is left behind either way).
        int i = 0;
        for (; i < batch; i++) {
            datagram.clear();
            InetSocketAddress from = (InetSocketAddress) channel.receive(datagram);
            if (from == null) {
                break;
            }
            datagram.flip();
            TransportAddress source = remote(from);
            try {
                if (turn != null && turn.relay(now, source, localAddress, datagram, relayed)) {
                    if (relayed.hasRemaining()) {
                        sendRelayed();
                    }
                    continue;
                }
                engine.handleInput(now, source, localAddress, datagram);
            } catch (RuntimeException e) {
                engineFailed(e);
            }
            flush();
        }
        if (i == batch) {
            backlog = true;
        }
    }

    /** Sends what the engine's relay path wrote: no queue, no copy, nothing allocated. */
    private void sendRelayed() {
        TransportAddress to = turn.relayedTo();
        try {
            DatagramChannel channel = udp.get(turn.relayedFrom());
            if (channel == null || to.transport() != Transport.UDP || channel.send(relayed, socketAddress(to)) == 0) {
                sendDrops++;
            }
        } catch (IOException e) {
            Log.LOG.debug("send to {} failed: {}", to, e.toString());
        }
    }

    private TransportAddress remote(InetSocketAddress from) {
        if (from != lastFrom) {
            TransportAddress known = remotes.get(from);
            if (known == null) {
                forgetRemotesIfMany();
                known = TransportAddress.of(Transport.UDP, from);
                remotes.put(from, known);
                socketAddresses.put(known, from);
            }
            lastFrom = from;
            lastRemote = known;
        }
        return lastRemote;
    }

    private InetSocketAddress socketAddress(TransportAddress to) {
        InetSocketAddress known = socketAddresses.get(to);
        if (known == null) {
            forgetRemotesIfMany();
            known = to.socketAddress();
            socketAddresses.put(to, known);
        }
        return known;
    }

    private void forgetRemotesIfMany() {
        if (remotes.size() >= MAX_REMOTES || socketAddresses.size() >= MAX_REMOTES) {
            remotes.clear();
            socketAddresses.clear();
        }
    }

    /**
     * Sends what the engine queued (a datagram that does not fit the socket buffer is dropped, as UDP may) and
     * serves its events, until it has neither.
     */
    private void flush() {
        boolean more = true;
        while (more) {
            sendQueued();
            more = serveEvents();
        }
    }

    private void sendQueued() {
        Transmit t;
        while ((t = engine.pollTransmit()) != null) {
            try {
                if (t.destination().transport() == Transport.UDP) {
                    DatagramChannel channel = udp.get(t.source());
                    if (channel == null || channel.send(t.payload(), socketAddress(t.destination())) == 0) {
                        sendDrops++;
                    }
                } else {
                    TcpConnection connection = tcp.get(new TcpConnection.Key(t.source(), t.destination()));
                    if (connection != null && !send(connection, t.payload())) {
                        tcp.close(connection); // a peer that does not read its answers, or broke TLS
                    }
                }
            } catch (IOException e) {
                Log.LOG.debug("send to {} failed: {}", t.destination(), e.toString());
            }
        }
    }

    /** The TURN server's relay sockets; other events are for an owner the runner does not have. */
    private boolean serveEvents() {
        boolean any = false;
        for (Object e; (e = engine.pollEvent()) != null; ) {
            any = true;
            if (e instanceof TurnEvent.OpenRelay open) {
                boolean ok = openRelay(open.relay());
                turn.relayOpened(clock.now(), open.relay(), ok);
            } else if (e instanceof TurnEvent.CloseRelay close) {
                closeRelay(close.relay());
            }
        }
        return any;
    }

    private static boolean send(TcpConnection connection, ByteBuffer payload) {
        try {
            return connection.send(payload);
        } catch (IOException e) {
            return false;
        }
    }

    private void closeIdle(Instant now) {
        tcp.closeIdle(now, c -> turn != null && turn.inUse(c.id.local(), c.id.remote()));
    }

    private void guarded(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            engineFailed(e);
        }
    }

    private void engineFailed(RuntimeException e) {
        // An engine must not throw on input; if one does, keep serving everyone else.
        engineFailures++;
        Log.LOG.error("engine failed (failure {}): {}", engineFailures, e.toString(), e);
    }

    private void closeChannels() {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                Log.LOG.debug("close: {}", e.toString());
            }
        }
        for (DatagramChannel channel : udp.values()) {
            closeQuietly(channel);
        }
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            Log.LOG.debug("close: {}", e.toString());
        }
    }
}
