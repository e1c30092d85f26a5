package org.rtc4j.rtp.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 3550 appendix A.1, A.3 and A.8 on hand-made arrivals. */
class ReceptionStatisticsTest {

    @Test
    void extendsSequenceNumbersAcrossTheWrapAndCountsLoss() {
        ReceptionStatistics s = new ReceptionStatistics();
        assertThat(s.update(65534)).isEqualTo(65534);
        assertThat(s.update(65535)).isEqualTo(65535);
        assertThat(s.update(1)).isEqualTo(65537);      // 0 lost, across the wrap
        assertThat(s.update(0)).isEqualTo(65536);      // late, still counted
        assertThat(s.update(5)).isEqualTo(65541);      // 2, 3, 4 lost
        assertThat(s.expected()).isEqualTo(8);
        assertThat(s.lost()).isEqualTo(3);
        assertThat(s.takeFractionLost()).isEqualTo(3 * 256 / 8);
        assertThat(s.takeFractionLost()).isZero();
        s.update(5);                                   // a duplicate makes the count go down (A.3)
        assertThat(s.lost()).isEqualTo(2);
    }

    @Test
    void aJumpCountsOnlyWhenTheNextPacketConfirmsIt() {
        ReceptionStatistics s = new ReceptionStatistics();
        s.update(100);
        assertThat(s.update(20_000)).isEqualTo(-1);
        assertThat(s.takeRestarted()).isFalse();
        assertThat(s.update(20_001)).isEqualTo(20_001);
        assertThat(s.takeRestarted()).isTrue();
        assertThat(s.expected()).isEqualTo(1);
    }

    @Test
    void jitterFollowsTheTransitTimeDifferences() {
        ReceptionStatistics s = new ReceptionStatistics();
        // Timestamps 160 apart, arrivals alternately 160 and 200 apart: |D| = 0, 40, 40, ...
        long arrival = 1000;
        s.arrival(arrival, 0);
        double expected = 0;
        for (int i = 1; i <= 50; i++) {
            arrival += i % 2 == 0 ? 120 : 200;
            s.arrival(arrival, 160L * i);
            expected += (40 - expected) / 16;
        }
        assertThat(s.jitter()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.jitter()).isBetween(35.0, 40.0);
    }

    @Test
    void aRetransmissionWithinTheNackWindowIsLateNotARestart() {
        ReceptionStatistics s = new ReceptionStatistics();
        s.update(65000);
        s.update(400);                                 // 936 later, across the wrap: 935 missing
        // Two in a row, 900 behind: a plain retransmission of what was asked for, not a new source.
        assertThat(s.update(36)).isEqualTo(65536 + 36);
        assertThat(s.update(37)).isEqualTo(65536 + 37);
        assertThat(s.takeRestarted()).isFalse();
        assertThat(s.lost()).isEqualTo(935 - 2);
        // An RTX packet's original sequence number is placed without being counted on this stream.
        assertThat(s.extend(38)).isEqualTo(65536 + 38);
        assertThat(s.extend(400)).isEqualTo(65536 + 400);
        assertThat(s.extend(401)).isEqualTo(-1);       // ahead of the highest: never asked for
        assertThat(s.extend(400 - 1024)).isEqualTo(-1); // beyond the window
        assertThat(s.lost()).isEqualTo(935 - 2);
    }
}
