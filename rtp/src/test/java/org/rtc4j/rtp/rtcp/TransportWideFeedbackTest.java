package org.rtc4j.rtp.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;

/**
 * The transport-wide feedback packet's writer against draft-holmer-rmcat-transport-wide-cc-extensions-01 section
 * 3.1: the chunks it picks, byte for byte, the receive deltas in one or two bytes, and round trips through the
 * reader.
 */
class TransportWideFeedbackTest {

    private static final int NR = TransportWideFeedback.NOT_RECEIVED;

    private static byte[] bytes(TransportWideFeedback f) {
        ByteBuffer b = ByteBuffer.allocate(f.length());
        f.write(b);
        assertThat(b.hasRemaining()).as("length() is what write() writes").isFalse();
        return b.array();
    }

    private static TransportWideFeedback roundTrip(TransportWideFeedback f) throws ParseException {
        byte[] b = bytes(f);
        assertThat(b.length % 4).isZero();
        List<RtcpPacket> read = RtcpCompound.read(ByteBuffer.wrap(b));
        assertThat(read).containsExactly(f);
        return (TransportWideFeedback) read.get(0);
    }

    /** The chunks and deltas after the 20-byte header, in hex. */
    private static String body(TransportWideFeedback f) {
        return HexFormat.of().formatHex(Arrays.copyOfRange(bytes(f), 20, f.length()));
    }

    @Test
    void headerFieldsAsTheDraftLaysThemOut() {
        TransportWideFeedback f = new TransportWideFeedback(0x01020304, 0x05060708, 0xFFFE, -2, 0x1FF, new int[] {3});
        // V=2 FMT=15, PT=205, length 5 words - 1; SSRCs; base 65534, count 1; reference -2 as 24 bits, count 0xFF.
        assertThat(HexFormat.of().formatHex(bytes(f)))
                .isEqualTo("8fcd0005" + "01020304" + "05060708" + "fffe0001" + "fffffe" + "ff" + "d000" + "0300");
    }

    @Test
    void runsOfOneSymbolTakeRunLengthChunks() throws ParseException {
        int[] d = new int[40];
        Arrays.fill(d, 0, 20, 4);
        Arrays.fill(d, 20, 40, NR);
        TransportWideFeedback f = new TransportWideFeedback(1, 2, 100, 0, 0, d);
        // |0|01| run 20| then |0|00| run 20|; 20 one-byte deltas, no padding (20 + 4 + 20 = 44).
        assertThat(body(f)).isEqualTo("2014" + "0014" + "04".repeat(20));
        assertThat(f.length()).isEqualTo(44);
        roundTrip(f);
        // A run of large deltas: symbol 2.
        int[] large = new int[16];
        Arrays.fill(large, 1000);
        assertThat(body(new TransportWideFeedback(1, 2, 0, 0, 0, large))).startsWith("4010" + "03e8");
    }

    @Test
    void mixedSmallDeltasAndLossesTakeOneBitVectors() throws ParseException {
        int[] d = {1, NR, 2, 3, NR, NR, 4, 5, 6, 7, NR, 8, 9, 10, 11, 12};
        TransportWideFeedback f = new TransportWideFeedback(1, 2, 7, 0, 0, d);
        // |1|0|1 0 1 1 0 0 1 1 1 1 0 1 1 1| = 0xACF7, then the last two as a two-bit vector |1|1|01 01 00 ...|.
        assertThat(body(f)).startsWith("acf7" + "d400" + "0102030405060708090a0b0c");
        roundTrip(f);
    }

    @Test
    void aShortTailOfSmallDeltasTakesOneOneBitVector() throws ParseException {
        int[] d = {1, NR, 2, 3, NR, 4, 5, 6, 7, NR};
        // Fewer than 14 left, none large: one one-bit chunk whose unused symbols the status count leaves out.
        TransportWideFeedback f = new TransportWideFeedback(1, 2, 7, 0, 0, d);
        assertThat(body(f)).isEqualTo("ade0" + "01020304050607" + "000000");
        roundTrip(f);
    }

    @Test
    void negativeAndLargeDeltasTakeTwoBytesInTwoBitVectors() throws ParseException {
        int[] d = {255, 256, -1, NR, 0, Short.MAX_VALUE, Short.MIN_VALUE};
        TransportWideFeedback f = new TransportWideFeedback(1, 2, 7, 0, 0, d);
        // |1|1|01 10 10 00 01 10 10| = 0xDA1A; deltas ff, 0100, ffff, 00, 7fff, 8000: 32 bytes, no padding.
        assertThat(body(f)).isEqualTo("da1a" + "ff" + "0100" + "ffff" + "00" + "7fff" + "8000");
        roundTrip(f);
    }

    @Test
    void deltasBeyondTwoBytesAreRefused() {
        // Section 3.1.4: such a delta needs a new feedback packet, with its own reference time.
        assertThatThrownBy(() -> new TransportWideFeedback(1, 2, 0, 0, 0, new int[] {Short.MAX_VALUE + 1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransportWideFeedback(1, 2, 0, 0, 0, new int[] {Short.MIN_VALUE - 1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longRunsSplitAtTheThirteenBitRunLength() throws ParseException {
        int[] d = new int[10_000];
        Arrays.fill(d, NR);
        d[9_999] = 17;
        TransportWideFeedback f = new TransportWideFeedback(1, 2, 65_000, 0, 0, d);
        // 8191 lost, 1808 lost, then the one received in a two-bit vector: three chunks and one delta byte.
        assertThat(body(f)).isEqualTo("1fff" + "0710" + "d000" + "11" + "00");
        roundTrip(f);
    }

    @Test
    void randomStatusListsRoundTrip() throws ParseException {
        SplittableRandom random = new SplittableRandom(7);
        for (int run = 0; run < 500; run++) {
            int[] d = new int[1 + random.nextInt(300)];
            int style = random.nextInt(4);
            for (int i = 0; i < d.length; i++) {
                int kind = random.nextInt(10);
                d[i] = kind < style ? NR
                        : kind < 8 ? random.nextInt(256)
                        : random.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1);
            }
            if (random.nextInt(4) == 0) {
                Arrays.fill(d, 0, d.length / 2, d[0]);
            }
            TransportWideFeedback f = new TransportWideFeedback(random.nextInt(), random.nextInt(),
                    random.nextInt(0x10000), random.nextInt(-(1 << 23), 1 << 23), random.nextInt(256), d);
            assertThat(roundTrip(f).deltas()).isEqualTo(d);
        }
    }

    @Test
    void writesAPrefixOfAnArrayWithoutTheRecord() throws ParseException {
        int[] d = {5, NR, 300, 6, 7, 8};
        ByteBuffer b = ByteBuffer.allocate(64);
        int n = TransportWideFeedback.write(b, 9, 10, 11, 12, 13, d, 4);
        assertThat(n).isEqualTo(b.position()).isEqualTo(TransportWideFeedback.length(d, 4));
        TransportWideFeedback f = (TransportWideFeedback) RtcpCompound.read(b.flip()).get(0);
        assertThat(f).isEqualTo(new TransportWideFeedback(9, 10, 11, 12, 13, new int[] {5, NR, 300, 6}));
    }
}
