package org.rtc4j.rtp.payload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Whatever the network sends, every depacketizer answers with false, a frame or a ParseException: no other
 * exception, no hang, no frame out of proportion to its input. The input is cut into payloads by length bytes:
 * {@code [n][n bytes]...}, the rest the last payload. Seeds (in the suite's resources) are real packetizer output.
 *
 * <p>Under Surefire the seeds run as regression tests. On demand, 10 million inputs per format:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl rtp -am verify -DargLine=-Xmx256m -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest='org.rtc4j.rtp.payload.PayloadFuzzTest#av1'}.
 */
class PayloadFuzzTest {

    static List<ByteBuffer> payloads(byte[] data) {
        List<ByteBuffer> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length && out.size() < 64) {
            int n = data[pos++] & 0xFF;
            if (n == 0xFF || pos + n > data.length) {
                break;
            }
            out.add(ByteBuffer.wrap(data, pos, n).slice());
            pos += n;
        }
        out.add(ByteBuffer.wrap(data, pos, data.length - pos).slice());
        return out;
    }

    /** The inverse of {@link #payloads}, to write seeds: payloads below 255 bytes each but the last. */
    static byte[] join(List<byte[]> payloads) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < payloads.size() - 1; i++) {
            o.write(payloads.get(i).length);
            o.writeBytes(payloads.get(i));
        }
        o.write(0xFF);
        o.writeBytes(payloads.get(payloads.size() - 1));
        return o.toByteArray();
    }

    private static void check(Codec codec, byte[] data) {
        Depacketizer d = PayloadFormats.depacketizer(codec);
        List<ByteBuffer> payloads = payloads(data);
        int total = 0;
        for (ByteBuffer p : payloads) {
            int position = p.position();
            d.isFrameStart(p);
            d.isFrameEnd(p, true);
            d.isKeyFrame(p);
            if (p.position() != position) {
                throw new AssertionError("a predicate moved the buffer");
            }
            total += p.remaining();
        }
        try {
            EncodedFrame f = d.depacketize(payloads, 12345);
            if (f.data().length > 5 * total + 64) {
                throw new AssertionError("frame of " + f.data().length + " from " + total + " bytes");
            }
            if (f.codec() != codec || f.timestamp() != 12345) {
                throw new AssertionError("wrong frame " + f);
            }
        } catch (ParseException expected) {
            // the parser's own rejection
        }
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void vp8(byte[] data) {
        check(Codec.VP8, data);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void vp9(byte[] data) {
        check(Codec.VP9, data);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void h264(byte[] data) {
        check(Codec.H264, data);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void h265(byte[] data) {
        check(Codec.H265, data);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void av1(byte[] data) {
        check(Codec.AV1, data);
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void audio(byte[] data) {
        for (Codec c : new Codec[] {Codec.OPUS, Codec.PCMU, Codec.PCMA, Codec.G722, Codec.TELEPHONE_EVENT}) {
            check(c, data);
        }
        TelephoneEventReceiver r = new TelephoneEventReceiver();
        for (ByteBuffer p : payloads(data)) {
            try {
                RtxPayload.originalPayload(p);
                RtxPayload.originalSequenceNumber(p);
                r.receive(p, 1);
            } catch (ParseException expected) {
                // the parser's own rejection
            }
        }
    }
}
