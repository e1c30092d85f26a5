package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.rtc4j.media.SyntheticAudio;
import org.rtc4j.rtp.Codec;

/** The encoder set: which codecs encode here, the right encoder for each, and refusals for the others. */
class MediaCodecsTest {

    @Test
    void encodersByCodec() {
        assertThat(MediaCodecs.canEncode(Codec.H264)).isTrue();
        assertThat(MediaCodecs.canEncode(Codec.OPUS)).isTrue();
        assertThat(MediaCodecs.canEncode(Codec.PCMA)).isTrue();
        assertThat(MediaCodecs.canEncode(Codec.VP8)).isTrue();
        assertThat(MediaCodecs.canEncode(Codec.VP9)).isFalse();
        assertThat(MediaCodecs.canEncode(Codec.TELEPHONE_EVENT)).isFalse();
        VideoEncoder h264 = MediaCodecs.videoEncoder(Codec.H264, 500_000);
        assertThat(h264).isInstanceOf(H264Encoder.class);
        assertThat(h264.targetBitrate()).isEqualTo(500_000);
        assertThat(MediaCodecs.videoEncoder(Codec.VP8, 500_000)).isInstanceOf(Vp8Encoder.class);
        assertThat(MediaCodecs.audioEncoder(Codec.OPUS)).isInstanceOf(OpusEncoder.class);
        assertThat(MediaCodecs.audioEncoder(Codec.PCMU).codec()).isEqualTo(Codec.PCMU);
        assertThatThrownBy(() -> MediaCodecs.videoEncoder(Codec.OPUS, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaCodecs.videoEncoder(Codec.AV1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaCodecs.audioEncoder(Codec.H264)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void opusTargetBitRateIsClampedAndHeld() {
        AudioEncoder opus = MediaCodecs.audioEncoder(Codec.OPUS);
        opus.setTargetBitrate(1);           // below Opus's 6 kbit/s: clamped, not refused
        opus.setTargetBitrate(10_000_000);  // above its 510 kbit/s: likewise
        opus.setTargetBitrate(12_000);
        SyntheticAudio tone = new SyntheticAudio(48_000, 1, 440);
        int bytes = 0;
        int packets = 0;
        for (int i = 0; i < 100; i++) {     // one second
            for (var f : opus.encode(tone.frame(i * 480L, 480))) {
                bytes += f.data().length;
                packets++;
            }
        }
        assertThat(packets).isEqualTo(50);
        assertThat(bytes * 8).as("bits in a second at 12 kbit/s").isBetween(6_000, 18_000);
    }
}
