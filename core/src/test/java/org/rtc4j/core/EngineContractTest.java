package org.rtc4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** The echo engine and driver of the package documentation, run for real on loopback. */
class EngineContractTest {

    static final class Echo implements Engine<String> {
        private final ArrayDeque<Transmit> out = new ArrayDeque<>();
        private final ArrayDeque<String> events = new ArrayDeque<>();

        @Override
        public void handleInput(Instant now, TransportAddress from, TransportAddress to, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            out.add(new Transmit(to, from, copy));
            events.add("echoed " + copy.remaining() + " bytes to " + from);
        }

        @Override
        public void handleTimeout(Instant now) {
        }

        @Override
        public Transmit pollTransmit() {
            return out.poll();
        }

        @Override
        public String pollEvent() {
            return events.poll();
        }

        @Override
        public Instant pollTimeout() {
            return null;
        }
    }

    @Test
    void theDocumentedDriverEchoesOverUdp() throws Exception {
        try (DatagramChannel server = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel client = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            TransportAddress local = TransportAddress.of(Transport.UDP, (InetSocketAddress) server.getLocalAddress());
            client.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), server.getLocalAddress());

            Echo engine = new Echo();
            ByteBuffer buffer = ByteBuffer.allocate(65536);
            InetSocketAddress from = (InetSocketAddress) server.receive(buffer.clear());
            engine.handleInput(Clock.system().now(), TransportAddress.of(Transport.UDP, from), local, buffer.flip());
            buffer.clear().put(new byte[8]); // the driver reuses its buffer: the engine must have copied
            for (Transmit t; (t = engine.pollTransmit()) != null; ) {
                server.send(t.payload(), t.destination().socketAddress());
            }

            ByteBuffer reply = ByteBuffer.allocate(16);
            client.receive(reply);
            assertThat(new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            assertThat(engine.pollEvent()).startsWith("echoed 4 bytes to 127.0.0.1:");
            assertThat(engine.pollEvent()).isNull();
            assertThat(engine.pollTimeout()).isNull();
        }
    }
}
