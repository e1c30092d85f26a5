package org.rtc4j.sctp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Drives a packet engine over a real UDP socket on loopback with the wall clock, for tests against real
 * peers in other processes. Can drop a share of packets each way to exercise recovery.
 */
final class UdpDriver implements AutoCloseable {

    final DatagramChannel channel;
    private final Selector selector;
    final PacketPath<?> engine;
    private final ByteBuffer in = ByteBuffer.allocate(65536);
    private final ByteBuffer out = ByteBuffer.allocate(65536);
    private final Random random = new Random(7);
    SocketAddress remote;
    double lossOut;
    double lossIn;
    final List<Object> events = new ArrayList<>();
    /** Datagrams sent of at least {@code bigSize} bytes. */
    int bigSize = Integer.MAX_VALUE;
    long bigSent;
    Runnable onStep = () -> { };

    UdpDriver(SctpAssociation engine) throws IOException {
        this.engine = PacketPath.of(engine);
        channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Runs until {@code done} holds (true) or {@code maxMillis} of wall time pass (false). */
    boolean runUntil(BooleanSupplier done, long maxMillis) throws IOException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (true) {
            Instant now = Instant.now();
            boolean again = true;
            while (again) {
                again = false;
                while (engine.pollPacket(now, out.clear()) > 0) {
                    again = true;
                    if (out.position() >= bigSize) {
                        bigSent++;
                    }
                    if (remote != null && (lossOut == 0 || random.nextDouble() >= lossOut)) {
                        channel.send(out.flip(), remote);
                    }
                }
                Object e;
                while ((e = engine.pollEvent()) != null) {
                    again = true;
                    events.add(e);
                }
                onStep.run();
            }
            if (done.getAsBoolean()) {
                return true;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            Instant t = engine.pollTimeout();
            long wait = left;
            if (t != null) {
                wait = Math.min(wait, Math.max(0, java.time.Duration.between(Instant.now(), t).toMillis()));
            }
            if (wait > 0) {
                selector.select(wait);
            } else {
                selector.selectNow();
            }
            selector.selectedKeys().clear();
            SocketAddress from;
            while ((from = channel.receive(in.clear())) != null) {
                if (remote == null) {
                    remote = from;
                }
                if (lossIn == 0 || random.nextDouble() >= lossIn) {
                    engine.handlePacket(Instant.now(), in.flip());
                }
            }
            t = engine.pollTimeout();
            Instant after = Instant.now();
            if (t != null && !t.isAfter(after)) {
                engine.handleTimeout(after);
            }
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
