package org.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One address cannot take every client or room slot: others still get in. */
class PerAddressLimitsTest {
    private static final long NOW = 1_000_000_000L;

    static final class Sink implements Outbound {
        final List<String> inbox = new ArrayList<>();
        int closeCode;

        @Override
        public void send(String text) {
            inbox.add(text);
        }

        @Override
        public void close(int code, String reason) {
            closeCode = code;
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfClients() {
        var hub = new SignalingHub(SignalingSettings.defaults().withPerAddress(3, 100));
        List<Client> attacker = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            attacker.add(hub.connect(new Sink(), "203.0.113.9", NOW));
        }
        assertThat(attacker).doesNotContainNull();
        Sink refused = new Sink();
        assertThat(hub.connect(refused, "203.0.113.9", NOW)).isNull();
        assertThat(refused.inbox.get(0)).contains("server-full").contains("your address");
        assertThat(refused.closeCode).isEqualTo(1013);
        assertThat(hub.connect(new Sink(), "198.51.100.7", NOW)).as("another address").isNotNull();

        hub.disconnect(attacker.get(0));
        assertThat(hub.connect(new Sink(), "203.0.113.9", NOW)).as("a slot freed").isNotNull();
    }

    @Test
    void oneAddressCreatesAtMostItsShareOfRooms() {
        var hub = new SignalingHub(SignalingSettings.defaults().withPerAddress(100, 2));
        List<Client> rooms = new ArrayList<>();
        List<Sink> sinks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Sink s = new Sink();
            Client c = hub.connect(s, "203.0.113.9", NOW);
            hub.receive(c, "{\"type\":\"join\",\"room\":\"attack" + i + "\"}", NOW);
            rooms.add(c);
            sinks.add(s);
        }
        assertThat(hub.roomCount()).isEqualTo(2);
        assertThat(sinks.get(2).inbox.get(0)).contains("too-many-rooms").contains("your address");

        // It may still join a room someone else made; another address may still create rooms.
        Sink other = new Sink();
        Client o = hub.connect(other, "198.51.100.7", NOW);
        hub.receive(o, "{\"type\":\"join\",\"room\":\"mine\"}", NOW);
        assertThat(other.inbox.get(0)).contains("\"joined\"");
        hub.receive(rooms.get(2), "{\"type\":\"join\",\"room\":\"mine\"}", NOW);
        assertThat(sinks.get(2).inbox.get(1)).contains("\"joined\"");

        // A room it created that empties frees its slot.
        hub.disconnect(rooms.get(0));
        Sink again = new Sink();
        Client a = hub.connect(again, "203.0.113.9", NOW);
        hub.receive(a, "{\"type\":\"join\",\"room\":\"attack9\"}", NOW);
        assertThat(again.inbox.get(0)).contains("\"joined\"");
    }
}
