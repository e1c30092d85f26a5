package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.SyntheticAudio;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * A sender's encoder on its own: raw frames are encoded only once a codec is negotiated, with that codec; a key
 * frame request makes the next picture a key frame; the target is the lowest of maxBitrate, the peer's REMB and
 * the default; an inactive encoding encodes nothing; encoded frames pass through untouched.
 */
class SenderEncoderTest {

    private final List<EncodedFrame> out = new CopyOnWriteArrayList<>();
    private volatile RTCRtpEncodingParameters encoding = RTCRtpEncodingParameters.defaults();
    private final List<org.rtc4j.rtp.AudioLevel> levels = new CopyOnWriteArrayList<>();
    private final SenderEncoder encoder = new SenderEncoder(() -> encoding, (f, level) -> {
        out.add(f);
        if (level != null) {
            levels.add(level);
        }
    });
    private final SyntheticVideo pattern = new SyntheticVideo(160, 120, 30);

    @Test
    void picturesAreEncodedWithTheNegotiatedCodecAndKeyFramesOnRequest() {
        encoder.onVideoFrame(pattern.frame(0));
        assertThat(out).isEmpty();
        assertThat(encoder.dropped()).isEqualTo(1);

        encoder.negotiated(Codec.H264);
        for (int i = 1; i <= 5; i++) {
            encoder.onVideoFrame(pattern.frame(i));
        }
        assertThat(out).extracting(EncodedFrame::codec).containsOnly(Codec.H264);
        assertThat(out).extracting(EncodedFrame::keyFrame).containsExactly(true, false, false, false, false);
        encoder.requestKeyFrame();
        encoder.onVideoFrame(pattern.frame(6));
        encoder.onVideoFrame(pattern.frame(7));
        assertThat(out.subList(5, 7)).extracting(EncodedFrame::keyFrame).containsExactly(true, false);

        assertThat(encoder.videoTargetBitrate()).isEqualTo(org.rtc4j.media.codec.MediaCodecs.DEFAULT_VIDEO_BITRATE);
        encoder.estimate(300_000);
        encoder.onVideoFrame(pattern.frame(8));
        assertThat(encoder.videoTargetBitrate()).isEqualTo(300_000);
        encoding = new RTCRtpEncodingParameters(null, true, 200_000, 0, 1);
        encoder.onVideoFrame(pattern.frame(9));
        assertThat(encoder.videoTargetBitrate()).isEqualTo(200_000);

        int before = out.size();
        encoding = encoding.withActive(false);
        encoder.onVideoFrame(pattern.frame(10));
        encoder.onEncodedFrame(new EncodedFrame(Codec.H264, new byte[] {0, 0, 1, 0x65}, 0, true));
        assertThat(out).hasSize(before);

        encoder.negotiated(null);
        encoding = encoding.withActive(true);
        encoder.onVideoFrame(pattern.frame(11));
        assertThat(out).hasSize(before);
        EncodedFrame passed = new EncodedFrame(Codec.VP8, new byte[] {1, 2, 3}, 0, false);
        encoder.onEncodedFrame(passed);
        assertThat(out.get(out.size() - 1)).isSameAs(passed);
    }

    @Test
    void audioIsEncodedInTwentyMillisecondPackets() {
        SyntheticAudio tone = new SyntheticAudio(48_000, 2, 440);
        encoder.negotiated(Codec.PCMU);
        encoder.onVideoFrame(pattern.frame(0));   // a picture on an audio sender: dropped
        for (int i = 0; i < 10; i++) {
            AudioFrame a = tone.frame(i * 480L, 480);
            encoder.onAudioFrame(a);
        }
        assertThat(encoder.dropped()).isEqualTo(1);
        // 100 ms of audio, less the resampler's look-ahead: four whole 20 ms packets of 160 bytes.
        assertThat(out).hasSizeBetween(4, 5).extracting(EncodedFrame::codec).containsOnly(Codec.PCMU);
        assertThat(out.get(0).data()).hasSize(160);

        out.clear();
        encoder.negotiated(Codec.OPUS);
        encoding = new RTCRtpEncodingParameters(null, true, 16_000, 0, 1);
        for (int i = 0; i < 10; i++) {
            encoder.onAudioFrame(tone.frame(i * 480L, 480));
        }
        assertThat(out).hasSize(5).extracting(EncodedFrame::codec).containsOnly(Codec.OPUS);
        // 16 kbit/s is 40 bytes per 20 ms packet on average; VBR and the first packets may exceed it a little.
        assertThat(out.stream().mapToInt(f -> f.data().length).sum()).isLessThan(5 * 80);
    }

    /** RFC 6464: each audio packet's level is that of the samples it was encoded from; video has none. */
    @Test
    void audioPacketsCarryTheLevelOfTheirSamples() {
        encoder.negotiated(Codec.OPUS);
        SyntheticAudio tone = new SyntheticAudio(48_000, 1, 440);
        for (int i = 0; i < 10; i++) {
            encoder.onAudioFrame(tone.frame(i * 480L, 480));
        }
        for (int i = 0; i < 10; i++) {
            encoder.onAudioFrame(AudioFrame.silence(48_000, 1, 480, (10 + i) * 10_000L));
        }
        assertThat(levels).hasSize(out.size());
        // the tone: a sine well above -60 dBov, voiced; then silence, 127 and not voiced
        org.rtc4j.rtp.AudioLevel loud = levels.get(1);
        assertThat(loud.level()).isBetween(3, 40);
        assertThat(loud.voice()).isTrue();
        assertThat(levels.get(levels.size() - 1)).isEqualTo(new org.rtc4j.rtp.AudioLevel(false, 127));

        levels.clear();
        encoder.negotiated(Codec.H264);
        encoder.onVideoFrame(pattern.frame(0));
        assertThat(levels).isEmpty();
    }

    /**
     * W3C section 5.2: scaleResolutionDownBy shrinks the pictures before the encoder (sizes rounded down to even)
     * and maxFramerate drops those that come too soon; both change with setParameters, between pictures.
     */
    @Test
    void picturesAreScaledAndThinnedBeforeTheEncoder() {
        SyntheticVideo camera = new SyntheticVideo(320, 240, 30);
        encoder.negotiated(Codec.VP8);
        encoding = RTCRtpEncodingParameters.defaults().withScaleResolutionDownBy(3).withMaxFramerate(15);
        for (int i = 0; i < 10; i++) {
            encoder.onVideoFrame(camera.frame(i));
        }
        java.util.Map<String, Object> stats = new java.util.HashMap<>();
        encoder.stats.putInto(stats, System.nanoTime());
        assertThat(out).hasSize(5);
        assertThat(encoder.framerateDropped()).isEqualTo(5);
        assertThat(stats).containsEntry("frameWidth", 106L).containsEntry("frameHeight", 80L)
                .containsEntry("framesEncoded", 5L);
        org.rtc4j.media.codec.Vp8Decoder decoder = new org.rtc4j.media.codec.Vp8Decoder();
        org.rtc4j.media.VideoFrame decoded = null;
        for (EncodedFrame f : out) {
            decoded = decoder.decode(f).get(0);
        }
        assertThat(decoded.width()).isEqualTo(106);
        // the pattern's frame counter survives the box filter: picture 8 is the fifth encoded
        assertThat(SyntheticVideo.readFrameCounter(decoded)).isEqualTo(8);

        encoding = RTCRtpEncodingParameters.defaults();
        encoder.onVideoFrame(camera.frame(10));
        encoder.stats.putInto(stats, System.nanoTime());
        assertThat(stats).containsEntry("frameWidth", 320L).containsEntry("framesEncoded", 6L);
        assertThat(out.get(5).keyFrame()).as("a new size starts with a key frame").isTrue();
    }
}
