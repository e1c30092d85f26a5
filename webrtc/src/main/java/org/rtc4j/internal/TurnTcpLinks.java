package org.rtc4j.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * A peer connection's TCP connections to TURN servers (RFC 8656 section 3.1), one per server, opened on the
 * first transmit to it (the ICE agent addresses those from port 0 of a bound address), non-blocking on the
 * connection's {@link IoLoop}, in TLS ({@link TlsPipe}) for {@code turns:} servers. What arrives goes to
 * {@link Input} as stream segments: the ICE agent frames STUN and ChannelData out of them. A connection that
 * fails or closes goes to {@link Lost}: the agent fails its allocation at once.
 */
final class TurnTcpLinks {

    private static final int MAX_PENDING = 256;

    /** Takes the bytes read from a server: its address, the connection's local address, the bytes. */
    @FunctionalInterface
    interface Input {
        void segment(TransportAddress server, TransportAddress local, ByteBuffer data);
    }

    /** Hears of a connection that failed or closed: the server, the local address, the reason. */
    @FunctionalInterface
    interface Lost {
        void lost(TransportAddress server, TransportAddress local, String reason);
    }

    /** Gives the TLS client for a server reached over TLS, null for plain TCP. */
    @FunctionalInterface
    interface Tls {
        TlsPipe tlsFor(TransportAddress server) throws IOException;
    }

    /** A TCP connection to a TURN server, keyed by the server's address. */
    private static final class Link {
        final SocketChannel channel;
        final TransportAddress server;
        final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        /** TLS over the connection ({@code turns:}), or null. */
        final TlsPipe tls;
        TransportAddress local;

        Link(SocketChannel channel, TransportAddress server, TlsPipe tls) {
            this.channel = channel;
            this.server = server;
            this.tls = tls;
        }
    }

    private final IoLoop loop;
    private final ByteBuffer in;
    private final Input input;
    private final Tls tlsFor;
    private final Lost lost;
    private final Map<TransportAddress, Link> links = new HashMap<>();

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
        Link link = links.get(t.destination());
        try {
            if (link == null) {
                TlsPipe tls = tlsFor.tlsFor(t.destination());
                SocketChannel channel = SocketChannel.open(t.destination().isIpv6()
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.bind(new InetSocketAddress(t.source().ip(), 0));
                link = new Link(channel, t.destination(), tls);
                link.local = TransportAddress.of(Transport.TCP, (InetSocketAddress) channel.getLocalAddress());
                links.put(t.destination(), link);
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
            drop(link, t.destination(), link != null ? link.local : t.source(), e);
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
                    drop(link, link.server, link.local, new IOException("closed by the server"));
                    return;
                }
                in.flip();
                if (link.tls != null) {
                    link.tls.unwrap(in, plain -> input.segment(link.server, link.local, plain), link.channel,
                            link.pending);
                    write(link); // what waited for the handshake
                } else {
                    input.segment(link.server, link.local, in);
                }
            }
        } catch (IOException e) {
            drop(link, link.server, link.local, e);
        }
    }

    private void drop(Link link, TransportAddress server, TransportAddress local, IOException cause) {
        if (links.get(server) == link) {
            links.remove(server);
        }
        String reason = (link != null && link.tls != null ? "TLS" : "TCP") + " to " + server + ": "
                + cause.getMessage();
        loop.execute(() -> lost.lost(server, local, reason));
        if (link != null) {
            try {
                link.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Connections open now. */
    int size() {
        return links.size();
    }

    void close() {
        for (Link l : links.values()) {
            try {
                l.channel.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        links.clear();
    }
}
