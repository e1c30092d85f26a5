package org.rtc4j.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.TurnConnection;

/**
 * A peer connection's TCP connections to TURN servers (RFC 8656 section 3.1), one per server and name, opened
 * on the first transmit to it (the ICE agent names each connection by the port of its transmits' source, on a
 * bound address: {@link TurnConnection}), non-blocking on the connection's {@link IoLoop}, in TLS
 * ({@link TlsPipe}) for {@code turns:} servers. What arrives goes to {@link Input} as stream segments, to the
 * name: the ICE agent frames STUN and ChannelData out of them. A connection that fails or closes goes to
 * {@link Lost}: the agent fails its allocation at once; one whose allocation was released is closed
 * ({@link #release}).
 */
final class TurnTcpLinks {

    private static final int MAX_PENDING = 256;

    /** Takes the bytes read from a server: its address, the connection's name, the bytes. */
    @FunctionalInterface
    interface Input {
        void segment(TransportAddress server, TransportAddress local, ByteBuffer data);
    }

    /** Hears of a connection that failed or closed: the server, the connection's name, the reason. */
    @FunctionalInterface
    interface Lost {
        void lost(TransportAddress server, TransportAddress local, String reason);
    }

    /** Gives the TLS client for a server reached over TLS, null for plain TCP. */
    @FunctionalInterface
    interface Tls {
        TlsPipe tlsFor(TransportAddress server) throws IOException;
    }

    /** A TCP connection to a TURN server, keyed by its name and the server's address. */
    private static final class Link {
        final SocketChannel channel;
        final TurnConnection key;
        final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        /** TLS over the connection ({@code turns:}), or null. */
        final TlsPipe tls;

        Link(SocketChannel channel, TurnConnection key, TlsPipe tls) {
            this.channel = channel;
            this.key = key;
            this.tls = tls;
        }
    }

    private final IoLoop loop;
    private final ByteBuffer in;
    private final Input input;
    private final Tls tlsFor;
    private final Lost lost;
    /** Open connections: a few (one per server, and one more while an ICE restart replaces an allocation). */
    private final List<Link> links = new ArrayList<>();

    /**
     * Reads into {@code in} (the driver's buffer) and hands what was read to {@code input}; {@code tlsFor} gives
     * the TLS client for a server reached over TLS, null for plain TCP; {@code lost} hears of a connection that
     * failed (later, on the loop: never from inside {@link #send}).
     */
    TurnTcpLinks(IoLoop loop, ByteBuffer in, Input input, Tls tlsFor, Lost lost) {
        this.loop = loop;
        this.in = in;
        this.input = input;
        this.tlsFor = tlsFor;
        this.lost = lost;
    }

    /** Sends a segment to a server (connecting first); false when it was dropped. */
    boolean send(Transmit t) {
        Link link = find(t.source(), t.destination());
        try {
            if (link == null) {
                TlsPipe tls = tlsFor.tlsFor(t.destination());
                SocketChannel channel = SocketChannel.open(t.destination().isIpv6()
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.bind(new InetSocketAddress(t.source().ip(), 0));
                link = new Link(channel, new TurnConnection(t.source(), t.destination()), tls);
                links.add(link);
                boolean connected = channel.connect(t.destination().socketAddress());
                if (connected && link.tls != null) {
                    link.tls.begin();
                }
                Link l = link;
                loop.register(channel, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, key -> ready(l, key));
            }
            if (link.pending.size() >= MAX_PENDING) {
                return false;
            }
            link.pending.add(t.payload());
            write(link);
            return true;
        } catch (IOException e) {
            drop(link, link != null ? link.key : new TurnConnection(t.source(), t.destination()), e);
            return false;
        }
    }

    private void write(Link link) throws IOException {
        if (!link.channel.isConnected()) {
            return;
        }
        boolean done;
        if (link.tls != null) {
            done = link.tls.flush(link.channel, link.pending);
        } else {
            while (!link.pending.isEmpty()) {
                ByteBuffer b = link.pending.peek();
                link.channel.write(b);
                if (b.hasRemaining()) {
                    break;
                }
                link.pending.poll();
            }
            done = link.pending.isEmpty();
        }
        SelectionKey key = loop.keyFor(link.channel);
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ | (done ? 0 : SelectionKey.OP_WRITE));
        }
    }

    /** A connection is ready: finishes connecting, writes what waits, reads into {@code in} for the agent. */
    private void ready(Link link, SelectionKey key) {
        try {
            if (key.isConnectable()) {
                link.channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                if (link.tls != null) {
                    link.tls.begin();
                }
                write(link);
            }
            if (key.isValid() && key.isWritable()) {
                write(link);
            }
            if (key.isValid() && key.isReadable()) {
                in.clear();
                int n = link.channel.read(in);
                if (n < 0) {
                    drop(link, link.key, new IOException("closed by the server"));
                    return;
                }
                in.flip();
                if (link.tls != null) {
                    link.tls.unwrap(in, plain -> input.segment(link.key.server(), link.key.local(), plain),
                            link.channel, link.pending);
                    write(link); // what waited for the handshake
                } else {
                    input.segment(link.key.server(), link.key.local(), in);
                }
            }
        } catch (IOException e) {
            drop(link, link.key, e);
        }
    }

    private void drop(Link link, TurnConnection key, IOException cause) {
        links.remove(link);
        String reason = (link != null && link.tls != null ? "TLS" : "TCP") + " to " + key.server() + ": "
                + cause.getMessage();
        loop.execute(() -> lost.lost(key.server(), key.local(), reason));
        if (link != null) {
            close(link);
        }
    }

    /** Closes the connections whose allocations the agent released (an ICE restart replaced them). */
    void release(IceAgent agent) {
        for (TurnConnection c; (c = agent.pollReleasedTurnConnection()) != null; ) {
            Link link = find(c.local(), c.server());
            if (link != null) {
                links.remove(link);
                close(link);
            }
        }
    }

    private Link find(TransportAddress local, TransportAddress server) {
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            if (l.key.server().equals(server) && l.key.local().equals(local)) {
                return l;
            }
        }
        return null;
    }

    private static void close(Link link) {
        try {
            link.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Connections open now. */
    int size() {
        return links.size();
    }

    void close() {
        links.forEach(TurnTcpLinks::close);
        links.clear();
    }
}
