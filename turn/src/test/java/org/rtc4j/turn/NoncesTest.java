package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The stateless nonces, and that remembering the last one issued and verified changes no answer. */
class NoncesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final byte[] ALICE = {(byte) 198, 51, 100, 7};
    private static final byte[] BOB = {(byte) 198, 51, 100, 8};

    private final Nonces nonces = new Nonces(new byte[32], 600);

    @Test
    void aNonceIsValidForItsAddressUntilItExpires() {
        String nonce = nonces.issue(NOW, ALICE);
        assertThat(nonce).startsWith(Nonces.PREFIX);
        assertThat(nonces.valid(nonce, NOW, ALICE)).isTrue();
        assertThat(nonces.valid(nonce, NOW.plusSeconds(599), ALICE)).isTrue(); // remembered as verified now
        assertThat(nonces.valid(nonce, NOW.plusSeconds(600), ALICE)).isFalse();
    }

    @Test
    void theNonceVerifiedLastIsStillRefusedFromAnotherAddress() {
        String nonce = nonces.issue(NOW, ALICE);
        assertThat(nonces.valid(nonce, NOW, ALICE)).isTrue();
        assertThat(nonces.valid(nonce, NOW, BOB)).isFalse();
        assertThat(nonces.valid(nonce, NOW, ALICE)).isTrue();
    }

    @Test
    void oneAddressGetsOneNoncePerSecondAndAnotherAddressItsOwn() {
        String first = nonces.issue(NOW, ALICE);
        assertThat(nonces.issue(NOW, ALICE)).isEqualTo(first);
        String bobs = nonces.issue(NOW, BOB);
        assertThat(bobs).isNotEqualTo(first);
        assertThat(nonces.issue(NOW, ALICE)).isEqualTo(first); // the same as before bob's, not a copy of bob's
        assertThat(nonces.issue(NOW.plusSeconds(1), ALICE)).isNotEqualTo(first);
        assertThat(nonces.valid(bobs, NOW, BOB)).isTrue();
        assertThat(nonces.valid(bobs, NOW, ALICE)).isFalse();
    }

    @Test
    void aForgedTagOrExpiryIsRefusedEvenRightAfterAValidOne() {
        String nonce = nonces.issue(NOW, ALICE);
        assertThat(nonces.valid(nonce, NOW, ALICE)).isTrue();
        int dot = nonce.indexOf('.');
        char last = nonce.charAt(nonce.length() - 1);
        String forgedTag = nonce.substring(0, nonce.length() - 1) + (last == '0' ? '1' : '0');
        assertThat(nonces.valid(forgedTag, NOW, ALICE)).isFalse();
        String stretched = Nonces.PREFIX + Long.toHexString(NOW.getEpochSecond() + 100_000) + nonce.substring(dot);
        assertThat(nonces.valid(stretched, NOW, ALICE)).isFalse();
        assertThat(nonces.valid(nonce, NOW, ALICE)).isTrue();
    }

    @Test
    void anotherServersNoncesAreRefused() {
        byte[] otherSecret = new byte[32];
        otherSecret[0] = 1;
        String foreign = new Nonces(otherSecret, 600).issue(NOW, ALICE);
        assertThat(nonces.valid(foreign, NOW, ALICE)).isFalse();
        assertThat(nonces.valid("garbage", NOW, ALICE)).isFalse();
    }
}
