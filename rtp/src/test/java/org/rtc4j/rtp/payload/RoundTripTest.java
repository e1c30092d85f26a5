package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** Every format: what our packetizer cuts, our depacketizer rebuilds, at many frame and payload sizes. */
class RoundTripTest {

    private static final int[] FRAME_SIZES = {1, 2, 17, 100, 1199, 1200, 1201, 4000, 70_000};

    /** The largest frame only where it stays within the depacketizer's packet limit. */
    private static int[] sizes(int mtu) {
        return java.util.Arrays.stream(FRAME_SIZES).filter(s -> s / mtu < 2000).toArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 100, 1200})
    void vp8(int mtu) throws ParseException {
        Random r = new Random(mtu);
        Packetizer p = PayloadFormats.packetizer(Codec.VP8);
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP8);
        for (int size : sizes(mtu)) {
            for (boolean key : new boolean[] {true, false}) {
                EncodedFrame f = new EncodedFrame(Codec.VP8, TestFrames.vp8(r, key, size), 1234, key);
                Packets packets = Packets.of(p, f, mtu);
                assertThat(d.isKeyFrame(packets.buffers().get(0))).isEqualTo(key);
                assertThat(packets.depacketize(d, 1234)).isEqualTo(f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 100, 1200})
    void vp9(int mtu) throws ParseException {
        Random r = new Random(mtu);
        Packetizer p = PayloadFormats.packetizer(Codec.VP9);
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP9);
        for (int size : sizes(mtu)) {
            for (boolean key : new boolean[] {true, false}) {
                EncodedFrame f = new EncodedFrame(Codec.VP9, TestFrames.vp9(r, key, size, 640, 480), 99, key);
                Packets packets = Packets.of(p, f, mtu);
                assertThat(d.isKeyFrame(packets.buffers().get(0))).isEqualTo(key);
                assertThat(packets.depacketize(d, 99)).isEqualTo(f);
            }
        }
    }

    @Test
    void vp9TemporalLayersKeepTheirIndex() throws ParseException {
        Random r = new Random(3);
        Packetizer p = PayloadFormats.packetizer(Codec.VP9);
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP9);
        for (int i = 0; i < 8; i++) {
            EncodedFrame f = new EncodedFrame(Codec.VP9, TestFrames.vp9(r, i == 0, 3000, 320, 240), i, i == 0,
                    i % 4 == 0 ? 0 : i % 2 == 0 ? 1 : 2, 0);
            assertThat(Packets.of(p, f, 1000).depacketize(d, i)).isEqualTo(f);
        }
    }

    @Test
    void vp8TemporalLayersKeepTheirIndex() throws ParseException {
        Random r = new Random(4);
        Packetizer p = PayloadFormats.packetizer(Codec.VP8);
        Depacketizer d = PayloadFormats.depacketizer(Codec.VP8);
        for (int i = 0; i < 8; i++) {
            EncodedFrame f = new EncodedFrame(Codec.VP8, TestFrames.vp8(r, i == 0, 3000), i, i == 0, i % 2, 0);
            assertThat(Packets.of(p, f, 1000).depacketize(d, i)).isEqualTo(f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 100, 1200})
    void h264(int mtu) throws ParseException {
        Random r = new Random(mtu);
        Packetizer p = PayloadFormats.packetizer(Codec.H264);
        Depacketizer d = PayloadFormats.depacketizer(Codec.H264);
        byte[] sps = TestFrames.nal(r, 12, 0x67, 0x42);
        byte[] pps = TestFrames.nal(r, 4, 0x68);
        for (int size : sizes(mtu)) {
            byte[] key = TestFrames.annexB(sps, pps, TestFrames.nal(r, 5, 0x06), TestFrames.nal(r, size, 0x65, 0x88));
            EncodedFrame f = new EncodedFrame(Codec.H264, key, 7, true);
            Packets packets = Packets.of(p, f, mtu);
            assertThat(d.isKeyFrame(packets.buffers().get(0))).isTrue();
            assertThat(packets.depacketize(d, 7)).isEqualTo(f);
            byte[] delta = TestFrames.annexB(TestFrames.nal(r, size, 0x41, 0x9a), TestFrames.nal(r, 30, 0x41, 0x1a));
            f = new EncodedFrame(Codec.H264, delta, 8, false);
            packets = Packets.of(p, f, mtu);
            assertThat(d.isKeyFrame(packets.buffers().get(0))).isFalse();
            assertThat(packets.depacketize(d, 8)).isEqualTo(f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 100, 1200})
    void h265(int mtu) throws ParseException {
        Random r = new Random(mtu);
        Packetizer p = PayloadFormats.packetizer(Codec.H265);
        Depacketizer d = PayloadFormats.depacketizer(Codec.H265);
        byte[] vps = TestFrames.nal(r, 20, 0x40, 0x01);
        byte[] sps = TestFrames.nal(r, 30, 0x42, 0x01);
        byte[] pps = TestFrames.nal(r, 6, 0x44, 0x01);
        for (int size : sizes(mtu)) {
            byte[] key = TestFrames.annexB(vps, sps, pps, TestFrames.nal(r, size, 0x26, 0x01, 0xAF));   // IDR_W_RADL
            EncodedFrame f = new EncodedFrame(Codec.H265, key, 7, true);
            Packets packets = Packets.of(p, f, mtu);
            assertThat(d.isKeyFrame(packets.buffers().get(0))).isTrue();
            assertThat(packets.depacketize(d, 7)).isEqualTo(f);
            byte[] delta = TestFrames.annexB(TestFrames.nal(r, size, 0x02, 0x01, 0xD0), TestFrames.nal(r, 30, 0x02,
                    0x01, 0x50));
            f = new EncodedFrame(Codec.H265, delta, 8, false);
            packets = Packets.of(p, f, mtu);
            assertThat(d.isKeyFrame(packets.buffers().get(0))).isFalse();
            assertThat(packets.depacketize(d, 8)).isEqualTo(f);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 20, 100, 1200})
    void av1(int mtu) throws ParseException {
        Random r = new Random(mtu);
        Packetizer p = PayloadFormats.packetizer(Codec.AV1);
        Depacketizer d = PayloadFormats.depacketizer(Codec.AV1);
        byte[] td = {0x12, 0};
        for (int size : sizes(mtu)) {
            byte[] key = TestFrames.concat(td, TestFrames.obu(r, 1, -1, 11), TestFrames.obu(r, 6, -1, size));
            EncodedFrame f = new EncodedFrame(Codec.AV1, key, 5, true);
            Packets packets = Packets.of(p, f, mtu);
            assertThat(d.isKeyFrame(packets.buffers().get(0))).isTrue();
            assertThat(packets.depacketize(d, 5)).isEqualTo(f);
            byte[] delta = TestFrames.concat(td, TestFrames.obu(r, 6, -1, size), TestFrames.obu(r, 3, -1, 3),
                    TestFrames.obu(r, 5, -1, 0), TestFrames.obu(r, 6, -1, 1));
            f = new EncodedFrame(Codec.AV1, delta, 6, false);
            packets = Packets.of(p, f, mtu);
            assertThat(d.isKeyFrame(packets.buffers().get(0))).isFalse();
            assertThat(packets.depacketize(d, 6)).isEqualTo(f);
        }
    }

    @Test
    void av1LayersGoInSeparatePackets() throws ParseException {
        Random r = new Random(9);
        byte[] tu = TestFrames.concat(new byte[] {0x12, 0}, TestFrames.obu(r, 1, -1, 10),
                TestFrames.obu(r, 6, 0 << 5 | 0 << 3, 50), TestFrames.obu(r, 6, 0 << 5 | 1 << 3, 50));
        EncodedFrame f = new EncodedFrame(Codec.AV1, tu, 5, true, 0, 1);
        Packets packets = Packets.of(PayloadFormats.packetizer(Codec.AV1), f, 1200);
        assertThat(packets.size()).isEqualTo(2);
        assertThat(packets.depacketize(PayloadFormats.depacketizer(Codec.AV1), 5)).isEqualTo(f);
    }

    @Test
    void audioFramesPassUnchanged() throws ParseException {
        byte[] opus = {(byte) 0x78, 1, 2, 3};                    // config 15, mono, one frame
        for (Codec c : new Codec[] {Codec.OPUS, Codec.PCMU, Codec.PCMA, Codec.G722}) {
            EncodedFrame f = new EncodedFrame(c, c == Codec.OPUS ? opus : new byte[160], 960, true);
            Packets packets = Packets.of(PayloadFormats.packetizer(c), f, 1200);
            assertThat(packets.size()).isEqualTo(1);
            assertThat(packets.markers()).containsExactly(false);
            assertThat(packets.depacketize(PayloadFormats.depacketizer(c), 960)).isEqualTo(f);
        }
    }
}
