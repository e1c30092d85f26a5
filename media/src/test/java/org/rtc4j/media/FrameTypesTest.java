package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameTypesTest {

    @Test
    void oddSizesRoundChromaUpAndPackedRoundTrips() {
        byte[] packed = new byte[VideoFrame.packedSize(5, 3)];
        assertThat(packed.length).isEqualTo(5 * 3 + 2 * 3 * 2);
        for (int i = 0; i < packed.length; i++) {
            packed[i] = (byte) i;
        }
        VideoFrame f = VideoFrame.fromPacked(5, 3, packed, 0, 7);
        assertThat(f.chromaWidth()).isEqualTo(3);
        assertThat(f.chromaHeight()).isEqualTo(2);
        assertThat(f.toPacked()).isEqualTo(packed);
        assertThat(f.lumaAt(4, 2)).isEqualTo(14);
    }

    @Test
    void paddedStridesAreIgnoredByEqualityAndPacking() {
        VideoFrame tight = VideoFrame.filled(4, 2, (byte) 1, (byte) 2, (byte) 3, 0);
        byte[] y = {1, 1, 1, 1, 99, 99, 1, 1, 1, 1};
        VideoFrame padded = new VideoFrame(4, 2, y, 6, new byte[] {2, 2, 77}, 3, new byte[] {3, 3}, 2, 0, 0);
        assertThat(padded).isEqualTo(tight);
        assertThat(padded.copy().strideY()).isEqualTo(4);
    }

    @Test
    void refusesPlanesTooSmallForTheirStrideOrSize() {
        assertThatThrownBy(() -> new VideoFrame(4, 2, new byte[7], new byte[2], new byte[2], 0))
                .hasMessageContaining("Y plane");
        assertThatThrownBy(() -> new VideoFrame(4, 2, new byte[8], 3, new byte[2], 2, new byte[2], 2, 0, 0))
                .hasMessageContaining("stride");
        assertThatThrownBy(() -> VideoFrame.black(0, 2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VideoFrame.black(2, 2, 0).withRotation(45)).hasMessageContaining("rotation");
        assertThatThrownBy(() -> VideoFrame.fromPacked(4, 4, new byte[23], 0, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void blackIsLimitedRangeBlack() {
        VideoFrame b = VideoFrame.black(2, 2, 0);
        assertThat(b.lumaAt(1, 1)).isEqualTo(16);
        assertThat(b.dataU()[0] & 0xFF).isEqualTo(128);
    }

    @Test
    void audioInterleavingDurationAndLittleEndian() {
        AudioFrame a = new AudioFrame(new short[] {1, -1, 0x1234, -32768}, 48_000, 2, 100);
        assertThat(a.samplesPerChannel()).isEqualTo(2);
        assertThat(a.sample(1, 0)).isEqualTo((short) 0x1234);
        assertThat(a.sample(1, 1)).isEqualTo((short) -32768);
        byte[] le = a.toLittleEndian();
        assertThat(le).containsExactly(1, 0, 0xFF, 0xFF, 0x34, 0x12, 0, 0x80);
        assertThat(AudioFrame.fromLittleEndian(le, 0, le.length, 48_000, 2, 100)).isEqualTo(a);
        assertThat(AudioFrame.silence(48_000, 2, 480, 0).durationMicros()).isEqualTo(10_000);
        assertThatThrownBy(() -> new AudioFrame(new short[3], 48_000, 2, 0)).hasMessageContaining("channels");
        assertThatThrownBy(() -> new AudioFrame(new short[2], 0, 1, 0)).hasMessageContaining("rate");
    }
}
