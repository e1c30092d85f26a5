package org.rtc4j.testkit.pump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * The pump over real sockets on loopback, on the wall clock: one non-blocking UDP socket per engine, or a TCP
 * connection to a server ({@link #connect}); one selector for all. For engines that talk to each other through
 * the kernel, or to a real peer in another process (usrsctp, coturn, a browser).
 */
public final class LoopbackPump extends EnginePump {

    /** The longest one step waits for a datagram, so that a test's condition is checked often. */
    private static final Duration MAX_WAIT = Duration.ofMillis(20);

    private final Selector selector;
    private final List<Bound> bound = new ArrayList<>();
    private final ByteBuffer in = ByteBuffer.allocate(65536);

    /** An engine and its socket: a UDP one, or else a TCP connection. */
    private record Bound(Pumped<?> pumped, DatagramChannel channel, Stream stream) {
    }

    /** A TCP connection to a server, opened by {@link #connect}, bound to an engine by {@link #add}. */
    private static final class Stream {
        final SocketChannel channel;
        final TransportAddress local;
        final TransportAddress server;
        boolean closedByServer;

        Stream(SocketChannel channel, TransportAddress local, TransportAddress server) {
            this.channel = channel;
            this.local = local;
            this.server = server;
        }
    }

    private final List<Stream> streams = new ArrayList<>();

    LoopbackPump() throws IOException {
        selector = Selector.open();
    }

    /**
     * Binds an engine to a loopback UDP address (port 0: one the system picks), or to the local address of a
     * TCP connection opened with {@link #connect}.
     */
    @Override
    public <E> Pumped<E> add(Engine<E> engine, TransportAddress address) {
        if (address.transport() == Transport.TCP) {
            for (Stream s : streams) {
                if (s.local.equals(address)) {
                    Pumped<E> p = new Pumped<>(this, engine, address);
                    bound.add(new Bound(p, null, s));
                    return p;
                }
            }
            throw new IllegalArgumentException("no connection of this pump is at " + address + ": connect first");
        }
        if (address.transport() != Transport.UDP || !address.ip().isLoopbackAddress()) {
            throw new IllegalArgumentException("a loopback UDP address, not " + address);
        }
        try {
            DatagramChannel channel = DatagramChannel.open().bind(address.socketAddress());
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.register(selector, SelectionKey.OP_READ, bound.size());
            TransportAddress local = TransportAddress.of(Transport.UDP,
                    (InetSocketAddress) channel.getLocalAddress());
            Pumped<E> p = new Pumped<>(this, engine, local);
            bound.add(new Bound(p, channel, null));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + address, e);
        }
    }

    @Override
    TransportAddress pairAddress(int side) {
        return TransportAddress.parse(Transport.UDP, "127.0.0.1:0");
    }

    /**
     * Opens a TCP connection to {@code server} (as a TURN client does, RFC 8656 section 3.1) and returns its
     * local address, for {@link #add}: the engine's datagrams to the server go on the connection, and what the
     * connection reads reaches the engine as stream segments, which it frames itself.
     */
    public TransportAddress connect(TransportAddress server) {
        try {
            SocketChannel channel = SocketChannel.open(server.socketAddress());
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            TransportAddress local = TransportAddress.of(Transport.TCP, (InetSocketAddress) channel.getLocalAddress());
            streams.add(new Stream(channel, local, server));
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + server, e);
        }
    }

    /** Whether the server closed the connection at {@code local} (coturn does after a Deallocate, for one). */
    public boolean closedByServer(TransportAddress local) {
        return streams.stream().anyMatch(s -> s.local.equals(local) && s.closedByServer);
    }

    /** Binds an engine to a port of 127.0.0.1 that the system picks. */
    public <E> Pumped<E> add(Engine<E> engine) {
        return add(engine, TransportAddress.parse(Transport.UDP, "127.0.0.1:0"));
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public boolean progress() {
        try {
            drain();
            Instant now = now();
            Duration wait = MAX_WAIT;
            for (Bound b : bound) {
                Instant t = b.pumped().adapter.pollTimeout();
                if (t != null) {
                    Duration until = Duration.between(now, t);
                    if (until.compareTo(wait) < 0) {
                        wait = until;
                    }
                }
            }
            long millis = wait.toMillis();
            if (millis > 0) {
                selector.select(millis);
            } else {
                selector.selectNow();
            }
            selector.selectedKeys().clear();
            for (Bound b : bound) {
                receive(b);
            }
            now = now();
            for (Bound b : bound) {
                Engine<?> e = b.pumped().adapter;
                Instant t = e.pollTimeout();
                if (t != null && !t.isAfter(now)) {
                    e.handleTimeout(now);
                }
            }
            drain();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void receive(Bound b) throws IOException {
        if (b.stream() != null) {
            receive(b, b.stream());
            return;
        }
        InetSocketAddress from;
        while ((from = (InetSocketAddress) b.channel().receive(in.clear())) != null) {
            b.pumped().adapter.handleInput(now(), TransportAddress.of(Transport.UDP, from), b.pumped().address(),
                    in.flip());
        }
    }

    private void receive(Bound b, Stream s) throws IOException {
        while (!s.closedByServer) {
            int n;
            try {
                n = s.channel.read(in.clear());
            } catch (IOException e) {
                n = -1;   // reset by the server
            }
            if (n < 0) {
                s.closedByServer = true;
            } else if (n == 0) {
                return;
            } else {
                b.pumped().adapter.handleInput(now(), s.server, s.local, in.flip());
            }
        }
    }

    /** Sends what every engine has, until none has anything. */
    private void drain() throws IOException {
        boolean any = true;
        while (any) {
            any = false;
            for (Bound b : bound) {
                for (Transmit t; (t = b.pumped().adapter.pollTransmit()) != null; ) {
                    any = true;
                    if (b.stream() == null) {
                        channelFor(t.source()).send(t.payload(), t.destination().socketAddress());
                    } else if (!b.stream().closedByServer && t.destination().equals(b.stream().server)) {
                        for (ByteBuffer out = t.payload(); out.hasRemaining(); ) {
                            b.stream().channel.write(out);
                        }
                    }
                }
            }
        }
    }

    private DatagramChannel channelFor(TransportAddress source) {
        for (Bound b : bound) {
            if (b.pumped().address().equals(source)) {
                return b.channel();
            }
        }
        throw new IllegalStateException("no socket of this pump is bound to " + source);
    }

    @Override
    public void close() {
        try {
            selector.close();
            for (Bound b : bound) {
                if (b.channel() != null) {
                    b.channel().close();
                }
            }
            for (Stream s : streams) {
                s.channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
