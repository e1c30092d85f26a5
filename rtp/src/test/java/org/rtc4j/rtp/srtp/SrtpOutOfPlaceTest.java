package org.rtc4j.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Protecting and unprotecting from one buffer into another gives the bytes of the in-place transforms. */
class SrtpOutOfPlaceTest {

    @Test
    void sameBytesAsInPlaceForEveryProfile() {
        Random r = new Random(3);
        for (SrtpProfile p : SrtpProfile.values()) {
            byte[] k = new byte[p.keyLength()];
            byte[] s = new byte[p.saltLength()];
            r.nextBytes(k);
            r.nextBytes(s);
            SrtpMasterKey key = new SrtpMasterKey(p, k, s);
            SrtpContext inPlace = new SrtpContext(key);
            SrtpContext outOfPlace = new SrtpContext(key);
            SrtpContext rx = new SrtpContext(key);
            for (int seq = 0; seq < 5; seq++) {
                byte[] plain = new byte[12 + 300];
                r.nextBytes(plain);
                plain[0] = (byte) 0x80;
                plain[2] = 0;
                plain[3] = (byte) seq;
                byte[] a = Arrays.copyOf(plain, plain.length + p.rtpOverhead());
                int na = inPlace.protectRtp(a, 0, plain.length);
                byte[] b = new byte[plain.length + p.rtpOverhead() + 7];
                int nb = outOfPlace.protectRtp(plain, 0, plain.length, b, 7);
                assertThat(nb).isEqualTo(na);
                assertThat(Arrays.copyOfRange(b, 7, 7 + nb)).isEqualTo(Arrays.copyOf(a, na));
                byte[] sealed = Arrays.copyOf(a, na);
                byte[] out = new byte[na + 3];
                assertThat(rx.unprotectRtp(sealed, 0, na, out, 3)).isEqualTo(plain.length);
                assertThat(Arrays.copyOfRange(out, 3, 3 + plain.length)).isEqualTo(plain);
                assertThat(sealed).isEqualTo(Arrays.copyOf(a, na));
                // the same packet again is a replay; a tampered one fails authentication
                assertThat(rx.unprotectRtp(sealed, 0, na, out, 0)).isEqualTo(SrtpContext.DROPPED);
            }
            byte[] bad = new byte[12 + 40 + p.rtpOverhead()];
            bad[0] = (byte) 0x80;
            bad[3] = 9;
            assertThat(rx.unprotectRtp(bad, 0, bad.length, new byte[bad.length], 0)).isEqualTo(SrtpContext.DROPPED);
            assertThat(rx.authFailureCount()).isEqualTo(1);
        }
    }
}
