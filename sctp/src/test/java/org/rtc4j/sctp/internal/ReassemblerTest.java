package org.rtc4j.sctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reassembler's fragment slots start few and grow with the fragments held (up to the TSN window): messages
 * whose fragments span more TSNs than the first slots, arriving out of order, and a FORWARD-TSN over a span wider
 * than the slots.
 */
class ReassemblerTest {

    private static final int WINDOW = 65_536;
    private static final int FRAGMENT = 100;

    private final List<byte[]> delivered = new ArrayList<>();
    private final Reassembler r = new Reassembler((stream, ppid, data, unordered) -> delivered.add(data), WINDOW, 0, 1200);

    private static byte[] message(int length, int seed) {
        byte[] m = new byte[length];
        for (int i = 0; i < length; i++) {
            m[i] = (byte) (i * 31 + seed);
        }
        return m;
    }

    /** Fragment {@code i} of {@code m} (FRAGMENT bytes each) as a DATA chunk with TSN {@code firstTsn + i}. */
    private void fragment(byte[] m, int firstTsn, int i, int stream, int ssn) {
        int count = (m.length + FRAGMENT - 1) / FRAGMENT;
        int flags = (i == 0 ? ChunkType.FLAG_BEGIN : 0) | (i == count - 1 ? ChunkType.FLAG_END : 0);
        int off = i * FRAGMENT;
        r.data(firstTsn + i, stream, ssn, 51, flags, m, off, Math.min(FRAGMENT, m.length - off));
    }

    @Test
    void aMessageOfThousandsOfFragmentsInReverseOrder() {
        r.reset(false, 0);
        byte[] m = message(3000 * FRAGMENT - 7, 1);
        int count = (m.length + FRAGMENT - 1) / FRAGMENT;
        for (int i = count - 1; i >= 0; i--) {
            fragment(m, 0, i, 0, 0);
        }
        assertThat(delivered).hasSize(1);
        assertThat(Arrays.equals(delivered.get(0), m)).isTrue();
        assertThat(r.buffered()).isZero();
    }

    @Test
    void aStreamWaitingForAnEarlierMessageSaysWhichAndHowManyWaitBehindIt() {
        r.reset(false, 0);
        assertThat(r.describeWaiting()).isEmpty();
        byte[] m = message(3 * FRAGMENT, 7);
        fragment(m, 10, 0, 3, 1); // SSN 1 whole except its last fragment
        fragment(m, 10, 1, 3, 1);
        fragment(message(FRAGMENT, 8), 20, 0, 3, 2); // SSN 2 whole, waiting for SSN 0 and 1
        assertThat(r.describeWaiting()).isEqualTo(", stream 3 waits for SSN 0 with 1 behind, 2 fragments held");
        fragment(message(FRAGMENT, 9), 9, 0, 3, 0);
        fragment(m, 10, 2, 3, 1);
        assertThat(delivered).hasSize(3);
        assertThat(r.describeWaiting()).isEmpty();
    }

    @Test
    void twoMessagesFarApartInTsnInterleaved() {
        r.reset(false, 0);
        byte[] a = message(10 * FRAGMENT, 2);
        byte[] b = message(10 * FRAGMENT, 3);
        for (int i = 0; i < 10; i++) {
            fragment(b, 1000, i, 1, 0); // TSNs 1000..1009 share slots with 0..9 in a small table
            fragment(a, 0, i, 0, 0);
        }
        assertThat(delivered).hasSize(2);
        assertThat(delivered).anySatisfy(d -> assertThat(Arrays.equals(d, a)).isTrue());
        assertThat(delivered).anySatisfy(d -> assertThat(Arrays.equals(d, b)).isTrue());
        assertThat(r.buffered()).isZero();
    }

    @Test
    void forwardTsnFreesFragmentsSpreadWiderThanTheSlots() {
        r.reset(false, 0);
        byte[] a = message(5 * FRAGMENT, 4);
        byte[] b = message(5 * FRAGMENT, 5);
        fragment(a, 5, 0, 0, 0); // beginnings whose ends never come
        fragment(b, 700, 0, 1, 0);
        assertThat(r.buffered()).isPositive();
        r.forwardTsn(800, new int[] {0, 1}, new int[] {0, 0});
        assertThat(r.buffered()).isZero();
        assertThat(delivered).isEmpty();
        // Later data still reassembles.
        byte[] c = message(3 * FRAGMENT, 6);
        for (int i = 2; i >= 0; i--) {
            fragment(c, 801, i, 0, 1);
        }
        assertThat(delivered).hasSize(1);
        assertThat(Arrays.equals(delivered.get(0), c)).isTrue();
    }
}
