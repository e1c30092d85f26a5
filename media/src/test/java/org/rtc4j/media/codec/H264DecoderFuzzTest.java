package org.rtc4j.media.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.rtc4j.media.MediaSink;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Whatever the network sends, {@link H264Decoder} returns pictures or refuses the access unit with an
 * {@link IllegalArgumentException} and a message: JCodec's own exceptions never escape, and a
 * {@link DecodingSink} in front of it never throws into the connection's loop. The input is an Annex B stream cut
 * into one access unit per NAL unit (the seeds, in H264DecoderFuzzTestInputs, are tiny libx264 streams: baseline,
 * and main profile with CABAC and B pictures), so that parameter sets and slices arrive as a browser's would.
 *
 * <p>Known finding, now a regression test: {@code hangs/jcodec-cabac-mb-qp-delta.h264} (a mutated main-profile
 * stream, found in the first on-demand run) sent JCodec 0.2.5 into an endless loop in {@code CABAC.readMBQpDelta},
 * which reads unary bins without the bound H.264 section 7.4.5 sets on mb_qp_delta; past the slice's end its
 * arithmetic decoder returns 1 for ever. {@code CabacBinBudget} now holds every access unit to the bins section
 * 7.4.2.10 allows, and {@code H264Test} replays the input through {@link #accessUnits}.
 */
class H264DecoderFuzzTest {

    private static final int MAX_UNITS = 64;   // bounds one run's work

    @FuzzTest(maxDuration = "10s")
    void accessUnits(byte[] data) {
        H264Decoder decoder = new H264Decoder();
        DecodingSink sink = new DecodingSink(new MediaSink() { });
        int units = 0;
        int start = nextStart(data, 0);
        while (start >= 0 && units++ < MAX_UNITS) {
            int next = nextStart(data, start + 3);
            byte[] unit = Arrays.copyOfRange(data, start, next < 0 ? data.length : next);
            EncodedFrame frame = new EncodedFrame(Codec.H264, unit, units * 3000L, true);
            try {
                decoder.decode(frame);
            } catch (IllegalArgumentException refused) {
                if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                    throw new AssertionError("a refusal without a message", refused);
                }
            }
            sink.onEncodedFrame(frame);   // must not throw
            start = next;
        }
        decoder.flush();
    }

    // The next 00 00 01 start code at or after `from` (a four-byte 00 00 00 01 is found by its last three bytes).
    private static int nextStart(byte[] d, int from) {
        for (int i = from; i + 2 < d.length; i++) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                return i;
            }
        }
        return -1;
    }
}
