package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Every payload format's per-packet work allocates nothing once warm: packetizing (the payloads are written into
 * the packetizer's own buffer), the predicates a jitter buffer asks of each received packet, and rebuilding a
 * frame beyond the frame itself. Counted with the JVM's per-thread allocation counter (see
 * {@code WarmPathAllocationTest}); "nothing per packet" is held as fewer bytes than packets.
 */
class PayloadAllocationTest {

    private static final int MTU = 1200;
    private static final int ROUNDS = 2000;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private long allocated() {
        return threads.getCurrentThreadAllocatedBytes();
    }

    /** A key frame of about ten packets for each video format, a frame for each audio one. */
    private static EncodedFrame frame(Codec c) {
        Random r = new Random(c.ordinal());
        return switch (c) {
            case VP8 -> new EncodedFrame(c, TestFrames.vp8(r, true, 11_000), 90, true);
            case VP9 -> new EncodedFrame(c, TestFrames.vp9(r, true, 11_000, 640, 480), 90, true);
            case H264 -> new EncodedFrame(c, TestFrames.annexB(TestFrames.nal(r, 12, 0x67, 0x42),
                    TestFrames.nal(r, 4, 0x68), TestFrames.nal(r, 11_000, 0x65, 0x88)), 90, true);
            case H265 -> new EncodedFrame(c, TestFrames.annexB(TestFrames.nal(r, 20, 0x40, 0x01),
                    TestFrames.nal(r, 30, 0x42, 0x01), TestFrames.nal(r, 6, 0x44, 0x01),
                    TestFrames.nal(r, 11_000, 0x26, 0x01, 0xAF)), 90, true);
            case AV1 -> new EncodedFrame(c, TestFrames.concat(new byte[] {0x12, 0}, TestFrames.obu(r, 1, -1, 11),
                    TestFrames.obu(r, 6, -1, 11_000)), 90, true);
            case OPUS -> new EncodedFrame(c, new byte[] {(byte) 0x78, 1, 2, 3}, 960, true);
            default -> new EncodedFrame(c, new byte[160], 160, true);
        };
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, mode = EnumSource.Mode.EXCLUDE, names = "TELEPHONE_EVENT")
    void packetizingAllocatesNothing(Codec c) {
        Packetizer p = PayloadFormats.packetizer(c);
        EncodedFrame f = frame(c);
        int[] packets = {0};
        Packetizer.PayloadSink sink = (payload, marker) -> packets[0]++;
        for (int i = 0; i < ROUNDS; i++) {
            p.packetize(f, MTU, sink);
        }
        packets[0] = 0;
        long before = allocated();
        for (int i = 0; i < ROUNDS; i++) {
            p.packetize(f, MTU, sink);
        }
        long bytes = allocated() - before;
        assertThat(bytes).as("%s: bytes allocated packetizing %d packets", c, packets[0]).isLessThan(packets[0]);
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, mode = EnumSource.Mode.EXCLUDE, names = "TELEPHONE_EVENT")
    void readingAPacketAllocatesNothing(Codec c) throws ParseException {
        Packets packets = Packets.of(PayloadFormats.packetizer(c), frame(c), MTU);
        List<ByteBuffer> buffers = packets.buffers();
        Depacketizer d = PayloadFormats.depacketizer(c);
        read(d, packets, buffers);
        long before = allocated();
        int reads = read(d, packets, buffers);
        long bytes = allocated() - before;
        assertThat(bytes).as("%s: bytes allocated reading %d packets", c, reads).isLessThan(reads);
    }

    /** What a jitter buffer asks of each packet as it arrives. */
    private static int read(Depacketizer d, Packets packets, List<ByteBuffer> buffers) {
        int reads = 0;
        int found = 0;
        for (int i = 0; i < ROUNDS; i++) {
            for (int k = 0; k < buffers.size(); k++) {
                ByteBuffer b = buffers.get(k);
                if (d.isFrameStart(b) && d.isKeyFrame(b)) {
                    found++;
                }
                if (d.isFrameEnd(b, packets.markers().get(k))) {
                    found++;
                }
                reads++;
            }
        }
        // A key frame's start and its end, at least (H.264, H.265 and AV1 have packets that "can begin" it).
        assertThat(found).isGreaterThanOrEqualTo(2 * ROUNDS);
        return reads;
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, mode = EnumSource.Mode.EXCLUDE, names = "TELEPHONE_EVENT")
    void rebuildingAFrameAllocatesTheFrameOnly(Codec c) throws ParseException {
        EncodedFrame f = frame(c);
        Packets packets = Packets.of(PayloadFormats.packetizer(c), f, MTU);
        List<ByteBuffer> buffers = packets.buffers();
        Depacketizer d = PayloadFormats.depacketizer(c);
        for (int i = 0; i < ROUNDS; i++) {
            d.depacketize(buffers, 90);
        }
        long rebuilt = 0;
        long before = allocated();
        for (int i = 0; i < ROUNDS; i++) {
            rebuilt += d.depacketize(buffers, 90).data().length;
        }
        long perFrame = (allocated() - before) / ROUNDS;
        assertThat(rebuilt).isEqualTo((long) ROUNDS * f.data().length);
        long frameBytes = (16 + f.data().length + 7) & ~7L;
        // The frame's bytes, at most once more for a builder sized before the frame's length is known, and a few
        // small objects (the frame, the builder).
        assertThat(perFrame).as("%s: bytes allocated per frame of %d packets, %d bytes", c, buffers.size(),
                f.data().length).isLessThanOrEqualTo(2 * frameBytes + 128);
    }
}
