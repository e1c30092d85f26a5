package org.rtc4j.ice.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * The runner's TCP connections to TURN servers (RFC 8656 section 3.1), one per server, opened on the first
 * transmit to it, non-blocking on the runner's selector; what arrives goes to the agent as stream segments.
 */
public final class TurnTcpLinks {

    private static final int MAX_PENDING = 256;

    /** Takes the bytes read from a server: its address, the connection's local address, the bytes. */
    @FunctionalInterface
    public interface Input {
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

    private final Selector selector;
    private final Map<TransportAddress, Link> links = new HashMap<>();

    public TurnTcpLinks(Selector selector) {
        this.selector = selector;
    }

    /** Whether a selected key is one of these connections. */
    public static boolean owns(SelectionKey key) {
        return key.attachment() instanceof Link;
    }

    /** Sends a segment to a server (connecting first); false when it was dropped. */
    public boolean send(Transmit t) {
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
                channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, link);
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
        SelectionKey key = link.channel.keyFor(selector);
        if (key != null && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ | (link.pending.isEmpty() ? 0 : SelectionKey.OP_WRITE));
        }
    }

    /** A connection is ready: finishes connecting, writes what waits, reads into {@code in} for the agent. */
    public void ready(SelectionKey key, ByteBuffer in, Input input) {
        Link link = (Link) key.attachment();
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

    public void close() {
        for (Link l : links.values()) {
            try {
                l.channel.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
