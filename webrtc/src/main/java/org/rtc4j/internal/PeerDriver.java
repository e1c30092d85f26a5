package org.rtc4j.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.rtc4j.RTCSettings;
import org.rtc4j.core.Clock;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.DirectPath;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceServer;
import org.rtc4j.ice.IceServerUrl;
import org.rtc4j.ice.mdns.MdnsResolver;

/**
 * The socket driver of one peer connection: its UDP sockets (one per interface address, non-blocking, on the
 * connection's {@link IoLoop}), its TCP connections to TURN servers ({@link TurnTcpLinks}), its mDNS queries
 * for the peer's {@code .local} candidates ({@link MdnsSockets}), its timer, and its clock. It feeds a {@link
 * PeerStack} what the sockets read and sends what the stack puts out; everything between is the stack's.
 *
 * <p>After each batch of datagrams read from a socket, and after each timer, it runs the owner's {@code
 * afterInput} hook (the facade's pump: the stack's events to the API, then {@link #flush}): each datagram goes
 * all the way up through the stack (which answers it, SCTP's acknowledgements included), and what the batch
 * made goes out once, at its end. An exception there is a bug of ours, and left alone it would repeat at once,
 * forever: it goes to the owner's {@code onError}, which fails and closes the connection.
 *
 * <p>Nothing is allocated per datagram on the media path: reads go into one buffer and the stack takes a view
 * of it; media goes out from one buffer the stack writes into ({@link PeerStack#pollDatagram}), on a path ICE
 * keeps per pair; the sender's address is looked up again only when it changes.
 */
public final class PeerDriver {

    /** Datagrams read from one socket per wake-up before the others get their turn. */
    private static final int READ_BATCH = 64;
    /** Where the peer's {@code .local} names are asked (RFC 6762 section 3: 224.0.0.251 and ff02::fb, 5353). */
    private static final List<TransportAddress> MDNS_GROUPS = List.of(MdnsResolver.IPV4_GROUP,
            MdnsResolver.IPV6_GROUP);

    private final IoLoop loop;
    private final Clock clock;
    private final RTCSettings settings;
    private final PeerStack stack;
    private final Runnable afterInput;
    private final Consumer<RuntimeException> onError;
    private final Map<TransportAddress, DatagramChannel> sockets = new LinkedHashMap<>();
    private final List<SelectionKey> keys = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(65536);
    /** Where the stack writes each media datagram to send; the driver owns it, the stack borrows it per call. */
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(65536);
    /** The last sender read and its transport address (the JDK hands back the same object for the same one). */
    private InetSocketAddress lastFrom;
    private TransportAddress lastFromAddress;
    private final TurnTcpLinks tcp;
    private final MdnsSockets mdns;
    private final IoLoop.Timed timer;
    private Supplier<List<IceServer>> turnServers = List::of;
    private SSLContext tlsContext;
    private Instant deadline;
    private boolean closed;
    private long packetsSent;
    private long packetsReceived;
    private long bytesSent;
    private long bytesReceived;
    private long sendErrors;

    /**
     * What the sockets carried, for the stats: UDP datagrams and TCP segments to TURN servers, their payload
     * bytes, and failed sends.
     */
    public record Counters(long packetsSent, long packetsReceived, long bytesSent, long bytesReceived,
                           long sendErrors) {
    }

    public PeerDriver(IoLoop loop, Clock clock, RTCSettings settings, PeerStack stack, Runnable afterInput,
            Consumer<RuntimeException> onError) {
        this.loop = loop;
        this.clock = clock;
        this.settings = settings;
        this.stack = stack;
        this.afterInput = afterInput;
        this.onError = onError;
        this.tcp = new TurnTcpLinks(loop, readBuffer, this::input, this::tlsFor, this::turnConnectionLost);
        this.mdns = new MdnsSockets(loop, clock, MDNS_GROUPS, this::afterMdnsAnswer);
        this.timer = new IoLoop.Timed() {
            @Override
            public Instant deadline() {
                return deadline;
            }

            @Override
            public void onTimer() {
                deadline = null;
                try {
                    Instant now = clock.now();
                    if (due(mdns.pollTimeout(), now)) {
                        mdns.handleTimeout(now);
                    }
                    if (due(stack.pollTimeout(), now)) {
                        stack.handleTimeout(now);
                    }
                    afterInput.run();
                } catch (RuntimeException e) {
                    onError.accept(e);
                }
            }
        };
    }

    /** Where the driver learns which TCP servers are {@code turns:} ones, and their names (for TLS). */
    public void turnServers(Supplier<List<IceServer>> servers) {
        this.turnServers = servers;
    }

    /**
     * The TLS client for a connection to {@code server} when a {@code turns:} URL names it, else null: the
     * certificate is checked against the URL's host name and the trust store (or the one trusted certificate of
     * the settings).
     */
    private TlsPipe tlsFor(TransportAddress server) throws IOException {
        List<IceServer> servers = turnServers.get();
        for (IceServer s : servers == null ? List.<IceServer>of() : servers) {
            for (IceServerUrl url : s.urls()) {
                if (url.scheme() == IceServerUrl.Scheme.TURNS && server.equals(url.serverAddress())) {
                    if (tlsContext == null) {
                        tlsContext = TlsContexts.client(settings.turnTrustedCertificate());
                    }
                    return new TlsPipe(tlsContext, url.host(), url.port());
                }
            }
        }
        return null;
    }

    /** A TCP or TLS connection to a TURN server failed or closed: the agent fails its allocations at once. */
    private void turnConnectionLost(TransportAddress server, TransportAddress local, String reason) {
        IceAgent ice = stack.ice();
        if (closed || ice == null) {
            return;
        }
        try {
            ice.turnConnectionLost(clock.now(), server, local, reason);
            afterInput.run();
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }

    public Instant now() {
        return clock.now();
    }

    /**
     * Binds a socket on each interface address the settings allow (loopback only when nothing else is up) and
     * registers them on the loop (on the loop).
     *
     * @throws IOException when no interface is up or a socket cannot be bound; nothing stays open then
     */
    public void bind() throws IOException {
        loop.addTimed(timer);
        try {
            List<InetAddress> addresses = hostAddresses(settings.interfaceFilter(), settings.includeLoopback(),
                    settings.ipv6());
            if (addresses.isEmpty()) {
                addresses = hostAddresses(settings.interfaceFilter(), true, settings.ipv6());
            }
            if (addresses.isEmpty()) {
                throw new SocketException("no network interface is up");
            }
            for (InetAddress ip : addresses) {
                bindOne(ip);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * The addresses of the interfaces that are up and pass {@code filter}, loopback ones only when asked
     * (tests in a loopback-only namespace need them), IPv6 ones when asked (link-local ones never).
     */
    static List<InetAddress> hostAddresses(Predicate<NetworkInterface> filter, boolean includeLoopback,
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

    private void bindOne(InetAddress ip) throws IOException {
        DatagramChannel ch = open(ip);
        TransportAddress bound = TransportAddress.of(Transport.UDP, (InetSocketAddress) ch.getLocalAddress());
        sockets.put(bound, ch);
        stack.addLocalAddress(bound, PathMtu.systemMtu(ip));
        keys.add(loop.register(ch, key -> readable(ch, bound)));
    }

    /** A non-blocking UDP socket on {@code ip}, in the settings' port range, with their buffer sizes. */
    private DatagramChannel open(InetAddress ip) throws IOException {
        DatagramChannel ch = DatagramChannel.open(ip instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (settings.socketReceiveBuffer() > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, settings.socketReceiveBuffer());
            }
            if (settings.socketSendBuffer() > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, settings.socketSendBuffer());
            }
            bindInRange(ch, ip);
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private void bindInRange(DatagramChannel ch, InetAddress ip) throws IOException {
        if (settings.portMin() == 0 && settings.portMax() == 0) {
            ch.bind(new InetSocketAddress(ip, 0));
            return;
        }
        int span = settings.portMax() - settings.portMin() + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        IOException last = null;
        for (int i = 0; i < span; i++) {
            int port = settings.portMin() + (start + i) % span;
            try {
                ch.bind(new InetSocketAddress(ip, port));
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("no free UDP port in " + settings.portMin() + ".." + settings.portMax(), last);
    }

    /**
     * The second UDP socket of an interface address, which ICE names by port 0: a TURN allocation made at an ICE
     * restart goes out from it while the old one, on the host socket's 5-tuple, still carries the selected pair
     * (RFC 8656 7.2 allows one allocation per 5-tuple). What it reads reaches the stack addressed to port 0.
     * One per address, made on first use, closed with the others; null when it cannot be bound.
     */
    private DatagramChannel extraSocket(TransportAddress name) {
        try {
            DatagramChannel ch = open(name.ip());
            sockets.put(name, ch);
            keys.add(loop.register(ch, key -> readable(ch, name)));
            return ch;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads the datagrams ready on one socket (a batch at most, then the other sockets get their turn), each
     * through the stack at one {@code now}, then pumps once: the batch's events to the API, its output out.
     */
    private void readable(DatagramChannel ch, TransportAddress bound) {
        Instant now = null;
        try {
            for (int i = 0; i < READ_BATCH && !closed; i++) {
                readBuffer.clear();
                InetSocketAddress from;
                try {
                    from = (InetSocketAddress) ch.receive(readBuffer);
                } catch (IOException e) {
                    continue; // ICMP errors surface here on Linux
                }
                if (from == null) {
                    break;
                }
                if (now == null) {
                    now = clock.now();
                }
                readBuffer.flip();
                packetsReceived++;
                bytesReceived += readBuffer.remaining();
                stack.handleInput(now, sender(from), bound, readBuffer);
            }
            if (now != null && !closed) {
                afterInput.run();
            }
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }

    private TransportAddress sender(InetSocketAddress from) {
        if (from != lastFrom) {
            lastFromAddress = TransportAddress.of(Transport.UDP, from);
            lastFrom = from;
        }
        return lastFromAddress;
    }

    /**
     * A TCP segment from a TURN server (which ICE frames) into the stack and all the way through; false when
     * that failed (the connection is then being closed).
     */
    private boolean input(TransportAddress from, TransportAddress to, ByteBuffer data) {
        packetsReceived++;
        bytesReceived += data.remaining();
        try {
            stack.handleInput(clock.now(), from, to, data);
            afterInput.run();
            return true;
        } catch (RuntimeException e) {
            onError.accept(e);
            return false;
        }
    }

    /** An mDNS answer arrived: the owner's pump runs, and {@link #flush} hands the answer to ICE. */
    private void afterMdnsAnswer() {
        try {
            afterInput.run();
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }

    /**
     * Resolves what ICE asks of mDNS, closes the TURN connections it no longer needs, sends what the stack has to
     * send and sets the timer to the next timeout (on the loop).
     */
    public void flush() {
        IceAgent ice = stack.ice();
        if (ice != null && !closed) {
            mdns.flush(ice);
            tcp.release(ice);
        }
        send();
        deadline = closed ? null : earliest(stack.pollTimeout(), mdns.pollTimeout());
    }

    /** Sends what the stack has ready, and only that (no timer set): {@link #flush} does the rest. */
    public void send() {
        for (DirectPath p; !closed && (p = stack.pollDatagram(sendBuffer)) != null; ) {
            send(sockets.get(p.source()), sendBuffer, p.to());
        }
        for (Transmit t; (t = stack.pollTransmit()) != null; ) {
            send(t);
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static boolean due(Instant at, Instant now) {
        return at != null && !now.isBefore(at);
    }

    private void send(Transmit t) {
        if (t.destination().transport() == Transport.TCP) {
            int n = t.payload().remaining();
            if (tcp.send(t)) {
                packetsSent++;
                bytesSent += n;
            } else {
                sendErrors++;
            }
            return;
        }
        DatagramChannel ch = sockets.get(t.source());
        if (ch == null && t.source().port() == 0 && !closed) {
            ch = extraSocket(t.source());
        }
        send(ch, t.payload(), t.destination().socketAddress());
    }

    private void send(DatagramChannel ch, ByteBuffer payload, InetSocketAddress to) {
        if (ch == null) {
            sendErrors++;
            return;
        }
        try {
            int n = payload.remaining();
            if (ch.send(payload, to) > 0) {
                packetsSent++;
                bytesSent += n;
            } else {
                sendErrors++; // a full socket buffer drops the datagram, as the network may
            }
        } catch (IOException e) {
            sendErrors++;
        }
    }

    public Counters counters() {
        return new Counters(packetsSent, packetsReceived, bytesSent, bytesReceived, sendErrors);
    }

    /** Sends what is left, then closes the sockets and stops the timer (on the loop). */
    public void close() {
        if (!closed) {
            flush();
        }
        closed = true;
        for (SelectionKey k : keys) {
            k.cancel();
        }
        for (DatagramChannel c : sockets.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sockets.clear();
        keys.clear();
        tcp.close();
        mdns.close();
        loop.removeTimed(timer);
        deadline = null;
    }
}
