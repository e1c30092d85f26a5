package org.rtc4j.dtls.internal.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Ephemeral keys made ahead of a handshake: each taken by one handshake only, and only a few kept. */
class EcdheTest {

    @Test
    void aKeyMadeAheadIsTakenOnceAndAgreesLikeAFreshOne() throws Exception {
        while (Ecdhe.spares() > 0) {
            new Ecdhe(Ecdhe.X25519);    // whatever other tests left
        }
        Ecdhe.prepare();
        assertThat(Ecdhe.spares()).isEqualTo(1);
        Ecdhe ahead = new Ecdhe(Ecdhe.X25519);
        assertThat(Ecdhe.spares()).isZero();
        Ecdhe fresh = new Ecdhe(Ecdhe.X25519);
        assertThat(ahead.publicPoint()).isNotEqualTo(fresh.publicPoint());
        assertThat(ahead.agree(fresh.publicPoint())).isEqualTo(fresh.agree(ahead.publicPoint()));
    }

    @Test
    void onlyAFewAreKept() {
        for (int i = 0; i < 50; i++) {
            Ecdhe.prepare();
        }
        assertThat(Ecdhe.spares()).isBetween(1, 8);
    }
}
