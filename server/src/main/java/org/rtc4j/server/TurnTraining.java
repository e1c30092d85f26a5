package org.rtc4j.server;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.turn.TurnClient;

/**
 * The TURN server's side of the start-up cache's training, without the peer connection's classes: what coturn's
 * {@code turnutils_uclient} does to a server (allocate with long-term credentials, relay to an echoing peer
 * through channels and through Send indications, release), one message at a time over loopback, with the ICE
 * module's TURN client. A lost datagram only costs the training a message.
 */
final class TurnTraining {

    private static final int WAIT_MILLIS = 200;
    private static final int PAYLOAD = 500;

    private TurnTraining() {
    }

    /** Relays {@code messages} messages each way through channels, then as many through indications. */
    static void relay(TransportAddress server, String user, String password, int messages) throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(server.ip(), 0))) {
            Thread echo = Thread.ofPlatform().name("training-turn-peer").daemon().start(() -> echo(peer));
            TransportAddress peerAddress = TransportAddress.of(Transport.UDP,
                    (InetSocketAddress) peer.getLocalSocketAddress());
            for (boolean channels : new boolean[] {true, false}) {
                allocateAndRelay(server, user, password, peerAddress, channels, messages);
            }
            peer.close();
            echo.join();
        }
    }

    private static void allocateAndRelay(TransportAddress server, String user, String password,
            TransportAddress peer, boolean channels, int messages) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(server.ip(), 0))) {
            socket.setSoTimeout(WAIT_MILLIS);
            TransportAddress local = TransportAddress.of(Transport.UDP, (InetSocketAddress) socket.getLocalSocketAddress());
            TurnClient client = new TurnClient(local, server, user, password, new Random());
            client.autoChannels(channels);
            client.allocate(Instant.now());
            pumpUntil(client, socket, () -> client.state() != TurnClient.State.ALLOCATING);
            if (client.state() != TurnClient.State.ALLOCATED) {
                throw new IllegalStateException("the training's allocation failed: " + client.pollEvent());
            }
            ByteBuffer message = ByteBuffer.allocate(PAYLOAD);
            for (int i = 0; i < messages; i++) {
                long echoed = client.stats().dataIn();
                client.send(Instant.now(), peer, message.clear());
                pumpUntil(client, socket, () -> client.stats().dataIn() > echoed);
                while (client.pollEvent() != null) {
                    // the echoes and the bindings' news: nothing to do with them
                }
            }
            client.close(Instant.now());
            pumpUntil(client, socket, () -> client.state() == TurnClient.State.CLOSED);
        }
    }

    /** Sends what the client has, then reads until {@code done} or a wait of {@link #WAIT_MILLIS} passes. */
    private static void pumpUntil(TurnClient client, DatagramSocket socket, BooleanSupplier done) throws IOException {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        for (int waits = 0; !done.getAsBoolean() && waits < 10; ) {
            for (Transmit t = client.pollTransmit(); t != null; t = client.pollTransmit()) {
                byte[] bytes = t.bytes();
                socket.send(new DatagramPacket(bytes, bytes.length, t.destination().socketAddress()));
            }
            try {
                socket.receive(packet);
                client.handleInput(Instant.now(), TransportAddress.of(Transport.UDP,
                        (InetSocketAddress) packet.getSocketAddress()), client.local(),
                        ByteBuffer.wrap(buffer, 0, packet.getLength()));
            } catch (SocketTimeoutException e) {
                waits++;
                client.handleTimeout(Instant.now());
            }
        }
    }

    private static void echo(DatagramSocket peer) {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            while (true) {
                packet.setLength(buffer.length);
                peer.receive(packet);
                peer.send(packet);
            }
        } catch (IOException closed) {
            // the training is over
        }
    }
}
