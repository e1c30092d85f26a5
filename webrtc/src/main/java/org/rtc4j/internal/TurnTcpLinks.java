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
 * connection's {@link IoLoop}. What arrives goes to {@link Input} as stream segments: the ICE agent frames
 * STUN and ChannelData out of them.
 */
final class TurnTcpLinks {

    private static final int MAX_PENDING = 256;

    /** Takes the bytes read from a server: its address, the connection's local address, the bytes. */
    @FunctionalInterface
    interface Input {
        void segment(TransportAddress server, TransportAddress local, ByteBuffer data);
    }

    /** A TCP connection to a TURN server, keyed by the server's address. */
    private static final class Link {
        final SocketChannel channel;
        final TransportAddress server;
        final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        TransportAddress local;

        Link(SocketChannel channel, TransportAddress server) {
            this.channel = channel;
            this.server = server;
        }
    }

    private final IoLoop loop;
    private final ByteBuffer in;
    private final Input input;
    private final Map<TransportAddress, Link> links = new HashMap<>();

    /** Reads into {@code in} (the driver's buffer) and hands what was read to {@code input}. */
    TurnTcpLinks(IoLoop loop, ByteBuffer in, Input input) {
        this.loop = loop;
        this.in = in;
        this.input = input;
    }

    /** Sends a segment to a server (connecting first); false when it was dropped. */
    boolean send(Transmit t) {
        Link link = links.get(t.destination());
        try {
            if (link == null) {
                SocketChannel channel = SocketChannel.open(t.destination().isIpv6()
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.bind(new InetSocketAddress(t.source().ip(), 0));
                link = new Link(channel, t.destination());
                link.local = TransportAddress.of(Transport.TCP, (InetSocketAddress) channel.getLocalAddress());
                links.put(t.destination(), link);
                boolean connected = channel.connect(t.destination().socketAddress());
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
            drop(link, t.destination());
            return false;
        }
    }

    private void write(Link link) throws IOException {
        if (!link.channel.isConnected()) {
            return;
        }
        while (!link.pending.isEmpty()) {
            ByteBuffer b = link.pending.peek();
            link.channel.write(b);
            if (b.hasRemaining()) {
                break;
            }
            link.pending.poll();
        }
        SelectionKey key = loop.keyFor(link.channel);
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ | (link.pending.isEmpty() ? 0 : SelectionKey.OP_WRITE));
        }
    }

    /** A connection is ready: finishes connecting, writes what waits, reads into {@code in} for the agent. */
    private void ready(Link link, SelectionKey key) {
        try {
            if (key.isConnectable()) {
                link.channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                write(link);
            }
            if (key.isValid() && key.isWritable()) {
                write(link);
            }
            if (key.isValid() && key.isReadable()) {
                in.clear();
                int n = link.channel.read(in);
                if (n < 0) {
                    drop(link, link.server);
                    return;
                }
                in.flip();
                input.segment(link.server, link.local, in);
            }
        } catch (IOException e) {
            drop(link, link.server);
        }
    }

    private void drop(Link link, TransportAddress server) {
        links.remove(server);
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
