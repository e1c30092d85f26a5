package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AssociationTest {

    static SctpSettings settings(long seed) {
        return SctpSettings.defaults().withRandom(new Random(seed));
    }

    @Test
    void handshakeThenOneMessageEachWay() {
        SctpPair p = SctpPair.connected(settings(1), settings(2), 3);
        assertThat(p.events(0)).first().isInstanceOf(SctpEvent.Connected.class);
        assertThat(p.events(1)).first().isInstanceOf(SctpEvent.Connected.class);
        assertThat(p.a.interleaving()).isTrue();
        p.a.send(1, 51, "hello".getBytes(), SendOptions.RELIABLE);
        p.b.send(2, 53, new byte[] {1, 2, 3}, SendOptions.RELIABLE);
        p.run(1000);
        assertThat(p.messages(1)).singleElement().satisfies(m -> {
            assertThat(new String(m.data())).isEqualTo("hello");
            assertThat(m.stream()).isEqualTo(1);
            assertThat(m.ppid()).isEqualTo(51);
        });
        assertThat(p.messages(0)).singleElement().satisfies(m -> assertThat(m.data()).containsExactly(1, 2, 3));
    }

    @Test
    void simultaneousInitsMeetInOneAssociation() {
        SctpPair p = new SctpPair(7, settings(5), settings(6), SctpPair.TEN_MS);
        SctpAssociation x = p.a;
        SctpAssociation y = p.b;
        x.connect(p.now());
        y.connect(p.now());
        assertThat(p.runUntil(() -> x.state() == SctpState.ESTABLISHED && y.state() == SctpState.ESTABLISHED,
                5000)).isTrue();
        p.run(3000);
        x.send(0, 53, new byte[] {9}, SendOptions.RELIABLE);
        y.send(0, 53, new byte[] {8}, SendOptions.RELIABLE);
        p.run(1000);
        assertThat(p.messages(1)).hasSize(1);
        assertThat(p.messages(0)).hasSize(1);
        assertThat(p.events(0).stream().filter(e -> e instanceof SctpEvent.Connected)).hasSize(1);
        assertThat(p.events(1).stream().filter(e -> e instanceof SctpEvent.Connected)).hasSize(1);
    }

    @Test
    void largeMessagesAreFragmentedAndReassembled() {
        for (boolean idata : new boolean[] {false, true}) {
            SctpPair p = SctpPair.connected(settings(1).withInterleaving(idata), settings(2).withInterleaving(idata),
                    3);
            assertThat(p.a.interleaving()).isEqualTo(idata);
            byte[] big = new byte[200_000];
            new Random(1).nextBytes(big);
            p.a.send(3, 53, big, SendOptions.RELIABLE);
            p.run(5000);
            assertThat(p.messages(1)).singleElement().satisfies(m -> assertThat(m.data()).isEqualTo(big));
        }
    }
}
