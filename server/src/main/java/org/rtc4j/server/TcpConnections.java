package org.rtc4j.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * The TCP (and TLS) connections of one {@link EngineRunner}, on its thread: accepting them within the limits
 * ({@link TcpLimits}: in all and per client address, so that one address cannot take every connection, file
 * descriptor and buffer), reading them into one shared buffer, and closing those that went quiet. A
 * connection counts as active only when a whole frame arrives: a trickle of bytes, or a TLS handshake dragged
 * out, does not keep it open.
 */
final class TcpConnections {

    /** What the runner does with a connection's frames and its end. */
    interface Owner {
        void frame(TcpConnection connection, ByteBuffer frame, Instant now);

        void closed(TcpConnection connection);
    }

    /** A TCP listener: the address the engine sees, and TLS when it is a {@code turns:} listener. */
    record Listener(TransportAddress local, SSLContext tls) {
    }

    private final TcpLimits limits;
    private final Owner owner;
    private final Map<TcpConnection.Key, TcpConnection> open = new HashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    /** Read buffer shared by every connection: a whole frame at most is read at once. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(TcpConnection.MAX_FRAME);
    private TlsStream.Scratch tlsScratch;
    private long refused;

    TcpConnections(TcpLimits limits, Owner owner) {
        this.limits = limits;
        this.owner = owner;
    }

    /** Accepts what is waiting on {@code server}; over a limit, a connection is closed before it is read. */
    void accept(ServerSocketChannel server, Listener listener, Selector selector, Instant now) throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            try {
                accepted(channel, listener, selector, now);
            } catch (IOException e) {
                channel.close(); // reset before it was taken in: nothing of it is kept
            }
        }
    }

    private void accepted(SocketChannel channel, Listener listener, Selector selector, Instant now) throws IOException {
        InetSocketAddress from = (InetSocketAddress) channel.getRemoteAddress();
        int fromAddress = perAddress.getOrDefault(from.getAddress(), 0);
        if (open.size() >= limits.maxConnections() || fromAddress >= limits.maxConnectionsPerAddress()) {
            refused++;
            channel.setOption(StandardSocketOptions.SO_LINGER, 0); // a reset: no TIME_WAIT left behind
            channel.close();
            return;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        TlsStream tls = null;
        if (listener.tls() != null) {
            if (tlsScratch == null) {
                tlsScratch = new TlsStream.Scratch(listener.tls());
            }
            tls = new TlsStream(listener.tls(), tlsScratch);
        }
        TcpConnection connection = new TcpConnection(channel, listener.local(),
                TransportAddress.of(Transport.TCP, from), tls, now);
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
        open.put(connection.id, connection);
        perAddress.put(from.getAddress(), fromAddress + 1);
    }

    /** Reads a readable connection and hands its frames to the owner; closes it at its end or on garbage. */
    void read(TcpConnection connection, Instant now) throws IOException {
        Consumer<ByteBuffer> frames = frame -> owner.frame(connection, frame, now);
        if (!connection.read(readBuffer, frames, now) || connection.broken()) {
            close(connection); // the end, or neither STUN nor ChannelData: a stream cannot be resynchronised
        }
    }

    TcpConnection get(TcpConnection.Key key) {
        return open.get(key);
    }

    /** Closes a connection (once) and tells the owner. */
    void close(TcpConnection connection) {
        if (open.remove(connection.id) != connection) {
            return;
        }
        InetAddress address = connection.id.remote().ip();
        perAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
        connection.close();
        owner.closed(connection);
    }

    /** Closes every connection without a whole frame for the idle timeout, unless {@code inUse} keeps it. */
    void closeIdle(Instant now, Predicate<TcpConnection> inUse) {
        Instant cutoff = now.minus(limits.idleTimeout());
        for (TcpConnection connection : new ArrayList<>(open.values())) {
            if (connection.lastFrame().isBefore(cutoff) && !inUse.test(connection)) {
                close(connection);
            }
        }
    }

    /** Connections open now. */
    int size() {
        return open.size();
    }

    /** Connections closed as they were accepted, for a limit. */
    long refused() {
        return refused;
    }

    /** Bytes the connections hold in their own buffers (split frames, answers not yet read). */
    long bufferedBytes() {
        long sum = 0;
        for (TcpConnection c : open.values()) {
            sum += c.bufferedBytes();
        }
        return sum;
    }
}
