package org.rtc4j.testkit.pump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/**
 * The pump over real UDP sockets on loopback, on the wall clock: one non-blocking socket per engine, one
 * selector for all. For engines that talk to each other through the kernel, or to a real peer in another
 * process (usrsctp, coturn, a browser).
 */
public final class LoopbackPump extends EnginePump {

    /** The longest one step waits for a datagram, so that a test's condition is checked often. */
    private static final Duration MAX_WAIT = Duration.ofMillis(20);

    private final Selector selector;
    private final List<Bound> bound = new ArrayList<>();
    private final ByteBuffer in = ByteBuffer.allocate(65536);

    private record Bound(Pumped<?> pumped, DatagramChannel channel) {
    }

    LoopbackPump() throws IOException {
        selector = Selector.open();
    }

    @Override
    public <E> Pumped<E> add(Engine<E> engine, TransportAddress address) {
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
            bound.add(new Bound(p, channel));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + address, e);
        }
    }

    @Override
    TransportAddress pairAddress(int side) {
        return TransportAddress.parse(Transport.UDP, "127.0.0.1:0");
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
        InetSocketAddress from;
        while ((from = (InetSocketAddress) b.channel().receive(in.clear())) != null) {
            b.pumped().adapter.handleInput(now(), TransportAddress.of(Transport.UDP, from), b.pumped().address(),
                    in.flip());
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
                    channelFor(t.source()).send(t.payload(), t.destination().socketAddress());
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
                b.channel().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
