package org.rtc4j.sctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The retransmission timeout's backoff (RFC 9260 6.3.3 E2) and when it ends. */
class CongestionControlTest {

    private static final long MS = 1_000_000L;

    private static CongestionControl measured() {
        CongestionControl cc = new CongestionControl(1200, 1000, 400, 60_000);
        cc.reset(1 << 20, 1);
        cc.rttSample(40 * MS);
        return cc;
    }

    @Test
    void timeoutsDoubleTheRtoUpToRtoMax() {
        CongestionControl cc = measured();
        assertThat(cc.rto()).isEqualTo(400 * MS);
        for (int i = 0; i < 5; i++) {
            cc.timeout();
        }
        assertThat(cc.rto()).isEqualTo(12_800 * MS);
        for (int i = 0; i < 5; i++) {
            cc.timeout();
        }
        assertThat(cc.rto()).isEqualTo(60_000 * MS);
    }

    @Test
    void theBackoffEndsWhenTheCumulativeAckMoves() {
        CongestionControl cc = measured();
        for (int i = 0; i < 6; i++) {
            cc.timeout();
        }
        cc.cumulativeAck(10);
        assertThat(cc.rto()).as("the measured RTO, without the backoff").isEqualTo(400 * MS);
        cc.timeout();
        assertThat(cc.rto()).as("a new timeout backs off from there").isEqualTo(800 * MS);
    }

    @Test
    void beforeAnyMeasurementTheBackoffEndsAtTheInitialRto() {
        CongestionControl cc = new CongestionControl(1200, 1000, 400, 60_000);
        cc.reset(1 << 20, 1);
        cc.timeout();
        cc.timeout();
        assertThat(cc.rto()).isEqualTo(4_000 * MS);
        cc.cumulativeAck(3);
        assertThat(cc.rto()).isEqualTo(1_000 * MS);
    }
}
