package org.rtc4j.ice.turn;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * Drives one engine on the test's thread over a real UDP socket, or a TCP connection to one server, on
 * loopback: for the TURN client against coturn.
 */
final class RealSocketDriver<E> implements AutoCloseable {

    final Engine<E> engine;
    final List<E> events = new ArrayList<>();
    private final Selector selector;
    private final DatagramChannel udp;
    private final SocketChannel tcp;
    final TransportAddress local;
    private final TransportAddress server;
    private final ByteBuffer in = ByteBuffer.allocate(70000);
    boolean serverClosed;

    /** For UDP: a socket on 127.0.0.1; for TCP: a connection to {@code server}. */
    RealSocketDriver(java.util.function.Function<TransportAddress, Engine<E>> factory, TransportAddress server)
            throws IOException {
        this.selector = Selector.open();
        this.server = server;
        if (server.transport() == Transport.UDP) {
            udp = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            udp.configureBlocking(false);
            udp.register(selector, SelectionKey.OP_READ);
            tcp = null;
            local = TransportAddress.of(Transport.UDP, (InetSocketAddress) udp.getLocalAddress());
            engine = factory.apply(local);
        } else {
            udp = null;
            tcp = SocketChannel.open(server.socketAddress());
            tcp.configureBlocking(false);
            tcp.register(selector, SelectionKey.OP_READ);
            local = TransportAddress.of(Transport.TCP, (InetSocketAddress) tcp.getLocalAddress());
            engine = factory.apply(TransportAddress.tcp(local.ip(), 0));
        }
    }

    private RealSocketDriver(RealSocketDriver<?> from, Engine<E> engine) {
        this.engine = engine;
        this.selector = from.selector;
        this.udp = from.udp;
        this.tcp = from.tcp;
        this.local = from.local;
        this.server = from.server;
    }

    /** The same socket, driving another engine (this driver must not be used any more). */
    <F> RealSocketDriver<F> replace(Engine<F> other) {
        return new RealSocketDriver<>(this, other);
    }

    /** Runs until {@code done} holds or {@code limit} of wall time passes; returns whether it holds. */
    boolean runUntil(BooleanSupplier done, Duration limit) throws IOException {
        Instant end = Instant.now().plus(limit);
        while (true) {
            flush();
            if (done.getAsBoolean()) {
                return true;
            }
            Instant now = Instant.now();
            if (!now.isBefore(end)) {
                return false;
            }
            Instant next = engine.pollTimeout();
            if (next != null && !now.isBefore(next)) {
                engine.handleTimeout(now);
                continue;
            }
            long wait = Math.min(Duration.between(now, end).toMillis(),
                    next == null ? 50 : Math.max(1, Duration.between(now, next).toMillis()));
            selector.select(Math.max(1, Math.min(wait, 50)));
            selector.selectedKeys().clear();
            read();
        }
    }

    private void read() throws IOException {
        while (true) {
            in.clear();
            if (udp != null) {
                InetSocketAddress from = (InetSocketAddress) udp.receive(in);
                if (from == null) {
                    return;
                }
                in.flip();
                engine.handleInput(Instant.now(), TransportAddress.of(Transport.UDP, from), local, in);
            } else {
                if (serverClosed) {
                    return;
                }
                int n;
                try {
                    n = tcp.read(in);
                } catch (java.net.SocketException e) {
                    n = -1;
                }
                if (n < 0) {
                    serverClosed = true; // the server closed the connection (coturn does after a Deallocate)
                    return;
                }
                if (n == 0) {
                    return;
                }
                in.flip();
                engine.handleInput(Instant.now(), server, local, in);
            }
            flush();
        }
    }

    void flush() throws IOException {
        for (Transmit t; (t = engine.pollTransmit()) != null; ) {
            if (udp != null) {
                udp.send(t.payload(), t.destination().socketAddress());
            } else {
                ByteBuffer b = t.payload();
                while (b.hasRemaining()) {
                    tcp.write(b);
                }
            }
        }
        for (E e; (e = engine.pollEvent()) != null; ) {
            events.add(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close();
        }
        selector.close();
    }
}
