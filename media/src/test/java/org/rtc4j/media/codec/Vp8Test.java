package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.container.ContainerTrack;
import org.rtc4j.media.container.IvfReader;
import org.rtc4j.media.container.IvfWriter;
import org.rtc4j.media.container.TrackFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * VP8 as a media codec (rtc4j's own, module codec-vp8): raw pictures to VP8 that ffmpeg (libvpx) decodes, VP8 from
 * ffmpeg to the same pictures ffmpeg decodes, through {@link DecodingSink}; key frames, layers, rate, bad input.
 */
@Timeout(120)
class Vp8Test {

    @TempDir
    Path dir;

    @Test
    void ourTestPatternDecodesInFfmpegAndTheCountersReadBackThroughTheDecodingSink() throws Exception {
        SyntheticVideo video = new SyntheticVideo(320, 240, 30);
        Vp8Encoder enc = new Vp8Encoder(500_000);
        List<VideoFrame> decoded = new ArrayList<>();
        DecodingSink sink = new DecodingSink(new MediaSink() {
            @Override
            public void onVideoFrame(VideoFrame frame) {
                decoded.add(frame);
            }
        });
        Path ivf = dir.resolve("ours.ivf");
        try (IvfWriter file = IvfWriter.create(ivf, ContainerTrack.video(Codec.VP8, 320, 240), 30)) {
            for (int i = 0; i < 60; i++) {
                if (i == 30) {
                    enc.requestKeyFrame();
                }
                EncodedFrame f = enc.encode(video.frame(i));
                assertThat(f.codec()).isEqualTo(Codec.VP8);
                assertThat(f.keyFrame()).as("frame %d", i).isEqualTo(i == 0 || i == 30);
                assertThat(f.timestamp()).isEqualTo(i * 3000L);
                file.write(0, f);
                sink.onEncodedFrame(f);
            }
        }
        assertThat(sink.dropped()).isZero();
        assertThat(decoded).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(SyntheticVideo.readFrameCounter(decoded.get(i))).isEqualTo(i);
            assertThat(decoded.get(i).timestampMicros()).isEqualTo(Math.round(i * 1e6 / 30));
        }
        assertThat(Tools.run("ffmpeg", "-v", "error", "-xerror", "-c:v", "libvpx", "-i", ivf.toString(), "-f",
                "null", "-")).isEmpty();
        // ffmpeg's pictures are ours, bit for bit.
        assertThat(md5s(decoded)).isEqualTo(ffmpegMd5s(ivf));
    }

    @Test
    void ffmpegsVp8DecodesToExactlyFfmpegsPictures() throws Exception {
        Path ivf = dir.resolve("libvpx.ivf");
        Tools.run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=176x144:rate=25", "-frames:v", "40",
                "-c:v", "libvpx", "-b:v", "300k", "-g", "20", "-auto-alt-ref", "1", "-lag-in-frames", "8",
                ivf.toString());
        Vp8Decoder dec = new Vp8Decoder();
        List<VideoFrame> frames = new ArrayList<>();
        try (IvfReader in = new IvfReader(new FileInputStream(ivf.toFile()))) {
            for (TrackFrame f = in.read(); f != null; f = in.read()) {
                frames.addAll(dec.decode(f.frame()));
            }
        }
        assertThat(dec.flush()).isEmpty();
        assertThat(frames).hasSize(40);
        assertThat(md5s(frames)).isEqualTo(ffmpegMd5s(ivf));
    }

    @Test
    void aNewSizeStartsWithAKeyFrameAndLayersAreMarked() throws Exception {
        Vp8Encoder enc = new Vp8Encoder(300_000, 3, true);
        Vp8Decoder dec = new Vp8Decoder();
        SyntheticVideo small = new SyntheticVideo(160, 120, 30);
        SyntheticVideo large = new SyntheticVideo(192, 144, 30);
        List<Integer> layers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            VideoFrame raw = i < 6 ? small.frame(i) : large.frame(i);
            EncodedFrame f = enc.encode(raw);
            assertThat(f.keyFrame()).as("frame %d", i).isEqualTo(i == 0 || i == 6);
            layers.add(f.temporalLayer());
            VideoFrame out = dec.decode(f).get(0);
            assertThat(out.width()).isEqualTo(raw.width());
            assertThat(SyntheticVideo.readFrameCounter(out)).isEqualTo(i);
        }
        assertThat(layers).containsExactly(0, 2, 1, 2, 0, 2, 0, 2, 1, 2, 0, 2);
    }

    @Test
    void theRateFollowsTheTargetAndThePicturesTimes() {
        // 15 frames a second of a busy picture: each picture's share is 1/15 s, twice what 30 fps would give.
        int fps = 15;
        SyntheticVideo video = new SyntheticVideo(320, 240, fps);
        Vp8Encoder enc = new Vp8Encoder(400_000);
        long first = 0;
        long second = 0;
        for (int i = 0; i < 16 * fps; i++) {
            if (i == 8 * fps) {
                enc.setTargetBitrate(200_000);
            }
            long bits = enc.encode(H264Test.textured(video.frame(i), i)).data().length * 8L;
            if (i >= 2 * fps && i < 8 * fps) {
                first += bits;
            } else if (i >= 10 * fps) {
                second += bits;
            }
        }
        assertThat(enc.targetBitrate()).isEqualTo(200_000);
        assertThat(first / 6.0).isBetween(400_000 * 0.9, 400_000 * 1.1);
        assertThat(second / 6.0).isBetween(200_000 * 0.9, 200_000 * 1.1);
    }

    @Test
    void badInputIsRefusedAndCountedAndTheNextKeyFrameRecovers() {
        Vp8Encoder enc = new Vp8Encoder(300_000);
        SyntheticVideo video = new SyntheticVideo(64, 48, 30);
        EncodedFrame key = enc.encode(video.frame(0));
        EncodedFrame delta = enc.encode(video.frame(1));
        Vp8Decoder dec = new Vp8Decoder(64, 48);
        assertThatThrownBy(() -> dec.decode(delta)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key frame");
        assertThatThrownBy(() -> dec.decode(new EncodedFrame(Codec.VP8, new byte[] {0, 1}, 0, true)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dec.decode(new EncodedFrame(Codec.H264, key.data(), 0, true)))
                .hasMessageContaining("not VP8");
        assertThatThrownBy(() -> new Vp8Decoder(32, 32).decode(key)).isInstanceOf(IllegalArgumentException.class);
        assertThat(dec.malformed()).isEqualTo(2);
        assertThat(dec.decode(key)).hasSize(1);
        assertThat(SyntheticVideo.readFrameCounter(dec.decode(delta).get(0))).isEqualTo(1);

        List<VideoFrame> out = new ArrayList<>();
        DecodingSink sink = new DecodingSink(new MediaSink() {
            @Override
            public void onVideoFrame(VideoFrame frame) {
                out.add(frame);
            }
        });
        sink.onEncodedFrame(delta);
        sink.onEncodedFrame(key);
        sink.onEncodedFrame(delta);
        assertThat(sink.dropped()).isEqualTo(1);
        assertThat(out).hasSize(2);
    }

    private static List<String> md5s(List<VideoFrame> frames) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        return frames.stream().map(f -> HexFormat.of().formatHex(md.digest(f.toPacked()))).toList();
    }

    private List<String> ffmpegMd5s(Path ivf) throws Exception {
        Path md5 = dir.resolve(ivf.getFileName() + ".md5");
        Tools.run("ffmpeg", "-v", "error", "-c:v", "libvpx", "-i", ivf.toString(), "-f", "framemd5", md5.toString());
        return Files.readAllLines(md5).stream().filter(l -> !l.startsWith("#"))
                .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
    }
}
