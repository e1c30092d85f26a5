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
 * <p>Known findings, now regression tests (in {@code hangs/}, replayed by {@code H264Test}, and seeds here): both
 * sent JCodec 0.2.5 into an endless loop on the decoding thread, reading past a slice's end where its readers
 * return the same bits for ever. {@code jcodec-cabac-mb-qp-delta.h264} (main profile, the first on-demand run):
 * {@code CABAC.readMBQpDelta} reads unary bins without the bound of H.264 section 7.4.5.
 * {@code jcodec-ref-list-modification.h264} (baseline, found this session): the slice header's reference list
 * modification, read until its closing 3 without the bound of 7.4.3.1. {@code BoundedFrameReader} now checks slice
 * headers first and holds every access unit to the CABAC bins section 7.4.2.10 allows.
 * {@code parameter-set-id-huge} (a seed): a PPS with an id far past 255, for which JCodec grew an array to gigabytes;
 * refused now. {@code jcodec-empty-sps-ref-list.h264} (baseline): an empty SPS that JCodec read as one of zeros
 * while our check, keeping its own copies of the parameter sets, skipped it; the two then read a slice header
 * differently and the check passed a list modification JCodec grew for ever. {@code BoundedFrameReader} now holds
 * the only parameter sets, checked by {@code ParameterSetCheck} against the ranges of 7.4.2 before JCodec reads
 * them ({@code H264HostileHeadersTest} has the hand-written siblings: array sizes from the SPS, PPS and slice).
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
