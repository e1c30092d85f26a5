package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rtc4j.dtls.internal.RecordFilter;
import org.rtc4j.core.Bytes;

class RecordFilterTest {

    private static byte[] record(int type, int epoch, int length) {
        byte[] r = new byte[13 + length];
        r[0] = (byte) type;
        r[1] = (byte) 0xFE;
        r[2] = (byte) 0xFD;
        Bytes.putU16(r, 3, epoch);
        Bytes.putU16(r, 11, length);
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void keepsWellFormedRecordsAndCutsAtTheFirstBadOne() {
        RecordFilter f = new RecordFilter(32 * 1024);
        f.setCipher(24, 0);
        byte[] good = record(23, 1, 40);
        byte[] shortCiphertext = record(23, 1, 10);      // shorter than nonce + tag
        assertThat(f.validPrefix(good, good.length)).isEqualTo(good.length);
        byte[] both = concat(good, shortCiphertext, good);
        assertThat(f.validPrefix(both, both.length)).isEqualTo(good.length);
        byte[] wrongVersion = record(23, 1, 40);
        wrongVersion[1] = 3;                              // TLS, not DTLS
        assertThat(f.validPrefix(wrongVersion, wrongVersion.length)).isZero();
        byte[] truncated = record(23, 1, 40);
        assertThat(f.validPrefix(truncated, truncated.length - 1)).isZero();
        byte[] unknownType = record(99, 1, 40);
        assertThat(f.validPrefix(unknownType, unknownType.length)).isZero();
    }

    @Test
    void checksHandshakeFragmentLengthsAndCbcBlocks() {
        RecordFilter f = new RecordFilter(32 * 1024);
        byte[] hs = record(22, 0, 12 + 4);
        Bytes.putU24(hs, 13 + 1, 4);    // message length 4
        Bytes.putU24(hs, 13 + 9, 4);    // fragment length 4
        assertThat(f.validPrefix(hs, hs.length)).isEqualTo(hs.length);
        Bytes.putU24(hs, 13 + 1, 1 << 20);   // a 1 MiB message: refused before anyone allocates it
        assertThat(f.validPrefix(hs, hs.length)).isZero();
        Bytes.putU24(hs, 13 + 1, 4);
        Bytes.putU24(hs, 13 + 6, 2);    // offset 2 + length 4 > 4
        assertThat(f.validPrefix(hs, hs.length)).isZero();
        f.setCipher(48, 16);
        byte[] cbc = record(23, 1, 64);
        assertThat(f.validPrefix(cbc, cbc.length)).isEqualTo(cbc.length);
        byte[] ragged = record(23, 1, 65);
        assertThat(f.validPrefix(ragged, ragged.length)).isZero();
    }
}
