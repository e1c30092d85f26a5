package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AssociationTest {

    static SctpSettings settings(long seed) {
        return SctpSettings.defaults().withRandom(new Random(seed));
    }

    static Pump connected(SctpSettings a, SctpSettings b, long seed) {
        SctpAssociation x = new SctpAssociation(a);
        SctpAssociation y = new SctpAssociation(b);
        Pump pump = new Pump(x, y, seed);
        x.connect(pump.instant());
        assertThat(pump.runUntil(() -> x.state() == SctpState.ESTABLISHED && y.state() == SctpState.ESTABLISHED,
                Pump.ms(5000))).isTrue();
        return pump;
    }

    static SctpAssociation a(Pump p) {
        return (SctpAssociation) p.ends[0];
    }

    static SctpAssociation b(Pump p) {
        return (SctpAssociation) p.ends[1];
    }

    static List<SctpEvent.Message> messages(Pump p, int side) {
        List<SctpEvent.Message> out = new ArrayList<>();
        for (Object e : p.events.get(side)) {
            if (e instanceof SctpEvent.Message m) {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void handshakeThenOneMessageEachWay() {
        Pump p = connected(settings(1), settings(2), 3);
        assertThat(p.events.get(0)).first().isInstanceOf(SctpEvent.Connected.class);
        assertThat(p.events.get(1)).first().isInstanceOf(SctpEvent.Connected.class);
        assertThat(a(p).interleaving()).isTrue();
        a(p).send(1, 51, "hello".getBytes(), SendOptions.RELIABLE);
        b(p).send(2, 53, new byte[] {1, 2, 3}, SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        assertThat(messages(p, 1)).singleElement().satisfies(m -> {
            assertThat(new String(m.data())).isEqualTo("hello");
            assertThat(m.stream()).isEqualTo(1);
            assertThat(m.ppid()).isEqualTo(51);
        });
        assertThat(messages(p, 0)).singleElement().satisfies(m -> assertThat(m.data()).containsExactly(1, 2, 3));
    }

    @Test
    void simultaneousInitsMeetInOneAssociation() {
        SctpAssociation x = new SctpAssociation(settings(5));
        SctpAssociation y = new SctpAssociation(settings(6));
        Pump p = new Pump(x, y, 7);
        x.connect(p.instant());
        y.connect(p.instant());
        assertThat(p.runUntil(() -> x.state() == SctpState.ESTABLISHED && y.state() == SctpState.ESTABLISHED,
                Pump.ms(5000))).isTrue();
        p.run(Pump.ms(3000));
        x.send(0, 53, new byte[] {9}, SendOptions.RELIABLE);
        y.send(0, 53, new byte[] {8}, SendOptions.RELIABLE);
        p.run(Pump.ms(1000));
        assertThat(messages(p, 1)).hasSize(1);
        assertThat(messages(p, 0)).hasSize(1);
        assertThat(p.events.get(0).stream().filter(e -> e instanceof SctpEvent.Connected)).hasSize(1);
        assertThat(p.events.get(1).stream().filter(e -> e instanceof SctpEvent.Connected)).hasSize(1);
    }

    @Test
    void largeMessagesAreFragmentedAndReassembled() {
        for (boolean idata : new boolean[] {false, true}) {
            Pump p = connected(settings(1).withInterleaving(idata), settings(2).withInterleaving(idata), 3);
            assertThat(a(p).interleaving()).isEqualTo(idata);
            byte[] big = new byte[200_000];
            new Random(1).nextBytes(big);
            a(p).send(3, 53, big, SendOptions.RELIABLE);
            p.run(Pump.ms(5000));
            assertThat(messages(p, 1)).singleElement().satisfies(m -> assertThat(m.data()).isEqualTo(big));
        }
    }
}
