package org.rtc4j.dtls;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A test driver: one DTLS connection on a loopback UDP socket, pumped on the test thread. */
final class UdpPeer implements AutoCloseable {

    final DtlsConnection connection;
    final DatagramSocket socket;
    final List<DtlsEvent> events = new ArrayList<>();
    final List<byte[]> data = new ArrayList<>();
    private InetSocketAddress remote;
    private final byte[] buffer = new byte[65_536];

    UdpPeer(DtlsConnection connection, InetSocketAddress remote) throws IOException {
        this.connection = connection;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setSoTimeout(5);
        this.remote = remote;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Pumps until {@code done} holds for the events so far, or the limit passes; returns whether it held. */
    boolean pumpUntil(Predicate<List<DtlsEvent>> done, Duration limit) throws IOException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            flush();
            if (done.test(events)) {
                return true;
            }
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
                if (remote == null) {
                    remote = (InetSocketAddress) p.getSocketAddress();   // a server learns its peer
                }
                LossyLink.collect(connection.receive(Instant.now(), ByteBuffer.wrap(p.getData(), 0, p.getLength())),
                        connection, data);
            } catch (SocketTimeoutException e) {
                // nothing arrived; poll again
            }
        }
        flush();
        return done.test(events);
    }

    private void flush() throws IOException {
        LossyLink.timers(connection);
        ByteBuffer out;
        while ((out = connection.pollTransmit()) != null) {
            if (remote != null) {
                socket.send(new DatagramPacket(out.array(), out.arrayOffset() + out.position(), out.remaining(),
                        remote));
            }
        }
        DtlsEvent e;
        while ((e = connection.pollEvent()) != null) {
            events.add(e);
        }
        LossyLink.collect(connection.pollData(), connection, data);
    }

    @Override
    public void close() {
        socket.close();
    }
}
