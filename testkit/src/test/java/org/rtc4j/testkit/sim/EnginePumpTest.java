package org.rtc4j.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.LoopbackPump;
import org.rtc4j.testkit.pump.Pumped;
import org.rtc4j.testkit.pump.SimPump;

/** The one pump, over the simulated network and over loopback sockets, with the same engines. */
class EnginePumpTest {

    static TransportAddress udp(String text) {
        return TransportAddress.parse(Transport.UDP, text);
    }

    private static final TransportAddress NOWHERE = udp("0.0.0.0:0");

    @Test
    void arqOverALossySimulatedLinkCompletes() {
        SimPump pump = EnginePump.simulated(new SimNetwork(11));
        TransportAddress a = udp("10.0.0.1:1000");
        TransportAddress b = udp("10.0.0.2:2000");
        ArqEngine sender = ArqEngine.sender(a, b, 200);
        Pumped<String> s = pump.add(sender, a);
        Pumped<String> r = pump.add(ArqEngine.receiver(b, a, 200), b);
        pump.link(s, r, LinkConfig.builder().delayMillis(20).loss(0.2).build());
        sender.start(pump.now());
        assertThat(pump.runUntil(() -> s.hasEvent("all acknowledged"::equals), Duration.ofMinutes(5))).isTrue();
        assertThat(r.events()).containsExactly("received 200");
        assertThat(sender.retransmissions()).isPositive();
        assertThat(pump.elapsed()).isGreaterThan(Duration.ofMillis(40));
    }

    @Test
    void arqOverLoopbackSocketsCompletes() throws Exception {
        try (LoopbackPump pump = EnginePump.loopback()) {
            TransportAddress a = udp("127.0.0.1:41001");
            TransportAddress b = udp("127.0.0.1:41002");
            ArqEngine sender = ArqEngine.sender(a, b, 200);
            Pumped<String> s = pump.add(sender, a);
            Pumped<String> r = pump.add(ArqEngine.receiver(b, a, 200), b);
            // a loss the test chooses: every fifth datagram the sender sends
            int[] n = {0};
            s.dropSent(bytes -> ++n[0] % 5 == 0);
            sender.start(pump.now());
            assertThat(pump.runUntil(() -> s.hasEvent("all acknowledged"::equals), Duration.ofSeconds(30))).isTrue();
            assertThat(r.events()).containsExactly("received 200");
            assertThat(s.dropped()).isPositive();
            assertThat(sender.retransmissions()).isPositive();
        }
    }

    @Test
    void unaddressedDatagramsGoToThePeerAndTimeIsGivenBeforePolling() {
        SimPump pump = EnginePump.simulated(new SimNetwork(3));
        Echo x = new Echo();
        Echo y = new Echo();
        Pumped<String> px = pump.add(x, udp("10.0.0.1:1"));
        Pumped<String> py = pump.add(y, udp("10.0.0.2:2"));
        pump.link(px, py, LinkConfig.delay(Duration.ofMillis(30)));
        assertThatThrownBy(() -> {
            x.say("lost");
            pump.runFor(Duration.ofMillis(1));
        }).hasMessageContaining("sendTo");
        x.out.clear();
        px.sendTo(py).record(true);
        pump.runFor(Duration.ofSeconds(1));
        x.say("ping");
        pump.runFor(Duration.ofSeconds(1));
        // y learned where x is from the datagram and answered there
        assertThat(px.events()).containsExactly("got pong");
        assertThat(py.events()).containsExactly("got ping");
        // x was given the time (1 s) before it was asked for output, and the ping left then
        Instant oneSecond = pump.network().clock().start().plusSeconds(1);
        assertThat(x.timeGiven).contains(oneSecond);
        assertThat(px.sent().getFirst().time()).isEqualTo(oneSecond);
    }

    @Test
    void heldEventsStayInTheEngineUntilReleased() {
        SimPump pump = EnginePump.simulated(new SimNetwork(5));
        Echo x = new Echo();
        Echo y = new Echo();
        Pumped<String> px = pump.add(x, udp("10.0.0.1:1")).sendTo(udp("10.0.0.2:2"));
        Pumped<String> py = pump.add(y, udp("10.0.0.2:2")).holdEvents(true);
        x.say("ping");
        pump.runFor(Duration.ofSeconds(1));
        assertThat(py.events()).isEmpty();
        assertThat(y.events).containsExactly("got ping");
        py.holdEvents(false);
        pump.runFor(Duration.ofSeconds(1));
        assertThat(py.events()).containsExactly("got ping");
        assertThat(px.events()).containsExactly("got pong");
    }

    /** Answers "ping" with "pong", unaddressed as SCTP over DTLS; reports what it got. */
    private static final class Echo implements Engine<String> {
        final ArrayDeque<Transmit> out = new ArrayDeque<>();
        final ArrayDeque<String> events = new ArrayDeque<>();
        final java.util.List<Instant> timeGiven = new java.util.ArrayList<>();

        void say(String text) {
            out.add(new Transmit(NOWHERE, NOWHERE, ByteBuffer.wrap(text.getBytes())));
        }

        @Override
        public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            String text = new String(b);
            events.add("got " + text);
            if (text.equals("ping")) {
                say("pong");
            }
        }

        @Override
        public void handleTimeout(Instant now) {
            timeGiven.add(now);
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
}
