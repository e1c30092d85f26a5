package org.rtc4j.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.rtc4j.RTCSettings;
import org.rtc4j.core.Clock;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.IceUdpRunner;

/**
 * The socket driver of one peer connection: its UDP sockets (one per interface address, non-blocking, on the
 * connection's {@link IoLoop}), its timer, and its clock. It feeds a {@link PeerStack} what the sockets read
 * and sends what the stack puts out; everything between is the stack's.
 *
 * <p>After each datagram, and after each timer, it runs the owner's {@code afterInput} hook (the facade's pump:
 * the stack's events to the API, then {@link #flush}): a datagram goes all the way up and its answers out
 * before the next is read. An exception there is a bug of ours, and left alone it would repeat at once,
 * forever: it goes to the owner's {@code onError}, which fails and closes the connection.
 */
public final class PeerDriver {

    /** Datagrams read from one socket per wake-up before the others get their turn. */
    private static final int READ_BATCH = 64;

    private final IoLoop loop;
    private final Clock clock;
    private final RTCSettings settings;
    private final PeerStack stack;
    private final Runnable afterInput;
    private final Consumer<RuntimeException> onError;
    private final Map<TransportAddress, DatagramChannel> sockets = new LinkedHashMap<>();
    private final List<SelectionKey> keys = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(65536);
    private final IoLoop.Timed timer;
    private Instant deadline;
    private boolean closed;
    private long packetsSent;
    private long packetsReceived;
    private long bytesSent;
    private long bytesReceived;
    private long sendErrors;

    /** What the sockets carried, for the stats: UDP datagrams and their payload bytes, and failed sends. */
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
        this.timer = new IoLoop.Timed() {
            @Override
            public Instant deadline() {
                return deadline;
            }

            @Override
            public void onTimer() {
                deadline = null;
                try {
                    stack.handleTimeout(clock.now());
                    afterInput.run();
                } catch (RuntimeException e) {
                    onError.accept(e);
                }
            }
        };
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
            List<InetAddress> addresses = IceUdpRunner.hostAddresses(settings.interfaceFilter(),
                    settings.includeLoopback(), settings.ipv6());
            if (addresses.isEmpty()) {
                addresses = IceUdpRunner.hostAddresses(settings.interfaceFilter(), true, settings.ipv6());
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

    private void bindOne(InetAddress ip) throws IOException {
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
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        TransportAddress bound = TransportAddress.of(Transport.UDP, (InetSocketAddress) ch.getLocalAddress());
        sockets.put(bound, ch);
        stack.addLocalAddress(bound, PathMtu.systemMtu(ip));
        keys.add(loop.register(ch, key -> readable(ch, bound)));
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

    /** Reads a batch of datagrams from one socket, each into the stack and all the way through. */
    private void readable(DatagramChannel ch, TransportAddress bound) {
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
            readBuffer.flip();
            packetsReceived++;
            bytesReceived += readBuffer.remaining();
            try {
                stack.handleInput(clock.now(), TransportAddress.of(Transport.UDP, from), bound, readBuffer);
                afterInput.run();
            } catch (RuntimeException e) {
                onError.accept(e);
                return;
            }
        }
    }

    /** Sends what the stack has to send and sets the timer to the stack's next timeout (on the loop). */
    public void flush() {
        for (Transmit t; (t = stack.pollTransmit()) != null; ) {
            send(t);
        }
        deadline = closed ? null : stack.pollTimeout();
    }

    private void send(Transmit t) {
        DatagramChannel ch = sockets.get(t.source());
        if (ch == null || t.destination().transport() != Transport.UDP) {
            sendErrors++;
            return;
        }
        try {
            int n = t.payload().remaining();
            if (ch.send(t.payload(), t.destination().socketAddress()) > 0) {
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
        loop.removeTimed(timer);
        deadline = null;
    }
}
