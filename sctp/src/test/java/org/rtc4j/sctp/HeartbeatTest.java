package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 9260 8.3: heartbeats on an idle association, and a peer that went away silently detected by them. */
class HeartbeatTest {

    static SctpSettings s(long seed) {
        return SctpSettings.defaults().withRandom(new Random(seed)).withHeartbeatInterval(1000);
    }

    @Test
    void anIdleAssociationHeartbeatsAndThePeerAnswers() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        p.run(20_000);
        for (SctpAssociation x : new SctpAssociation[] {p.a, p.b}) {
            // one every RTO + HB.interval (1.2 s here, RTO.Min for a 20 ms round trip), each answered
            assertThat(x.heartbeats().sent()).isBetween(13L, 18L);
            assertThat(x.heartbeats().acknowledged()).isEqualTo(x.heartbeats().sent());
            assertThat(x.heartbeats().unanswered()).isZero();
            assertThat(x.stats().srttMillis()).isBetween(19L, 21L);
            assertThat(x.state()).isEqualTo(SctpState.ESTABLISHED);
        }
    }

    @Test
    void noHeartbeatsWhileDataFlowsNorWhenTurnedOff() {
        SctpPair p = SctpPair.connected(s(1).withHeartbeatInterval(0), s(2), 3);
        for (int i = 0; i < 100; i++) {
            p.b.send(1, 53, new byte[1000], SendOptions.RELIABLE);
            p.run(200);
        }
        assertThat(p.a.heartbeats().sent()).isZero();
        assertThat(p.b.heartbeats().sent()).isZero(); // its data was always in flight or just acknowledged
        assertThat(p.messages(0)).hasSize(100);
    }

    @Test
    void aSilentPeerIsDetectedAndTheAssociationCloses() {
        SctpSettings quick = s(1).withRto(1000, 200, 4000).withMaxRetransmits(4);
        SctpPair p = SctpPair.connected(quick, s(2), 3);
        p.run(5000);
        long start = p.now().toEpochMilli();
        p.dropSent((side, bytes) -> side == 1); // the peer vanishes: nothing more comes from it
        assertThat(p.runUntil(() -> p.a.state() == SctpState.CLOSED, 120_000)).as("peer declared dead").isTrue();
        long took = p.now().toEpochMilli() - start;
        // five unanswered heartbeats, each after an RTO doubled each time (200 ms up to 4 s), plus the intervals
        assertThat(took).isBetween(5_000L, 40_000L);
        assertThat(p.a.heartbeats().unanswered()).isEqualTo(5);
        assertThat(p.events(0, SctpEvent.Closed.class)).singleElement()
                .satisfies(c -> assertThat(c.reason()).contains("peer unreachable"));
    }

    @Test
    void aLostHeartbeatOrTwoIsForgivenWhenTheNextIsAnswered() {
        SctpPair p = SctpPair.connected(s(1).withMaxRetransmits(2), s(2), 3);
        p.run(3000);
        int[] dropped = {0};
        // two HEARTBEAT-ACKs (chunk type 5) from the peer lost
        p.dropSent((side, bytes) -> side == 1 && (bytes[12] & 0xFF) == 5 && dropped[0]++ < 2);
        p.run(30_000);
        assertThat(p.a.heartbeats().unanswered()).isEqualTo(2);
        assertThat(p.a.state()).isEqualTo(SctpState.ESTABLISHED);
        assertThat(p.a.heartbeats().acknowledged()).isPositive();
    }
}
