package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.internal.BaselineEncoder;
import org.rtc4j.media.codec.internal.JCodecPictures;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** H.264 on JCodec: our stream in ffmpeg, ffmpeg's (libx264) streams in ours, and the rate controller. */
class H264Test {

    @TempDir
    Path dir;

    @Test
    void ourTestPatternDecodesInFfmpegWithoutErrorAsConstrainedBaseline() throws Exception {
        SyntheticVideo video = new SyntheticVideo(320, 240, 30);
        H264Encoder enc = new H264Encoder(500_000);
        H264Decoder dec = new H264Decoder();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        List<VideoFrame> decoded = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (i == 30) {
                enc.requestKeyFrame();
            }
            EncodedFrame f = enc.encode(video.frame(i));
            assertThat(f.codec()).isEqualTo(Codec.H264);
            assertThat(f.keyFrame()).isEqualTo(i == 0 || i == 30);
            assertThat(f.timestamp()).isEqualTo(i * 3000L);
            if (f.keyFrame()) {
                assertThat(nalTypes(f.data())).containsExactly(7, 8, 5);   // SPS, PPS, IDR slice
            } else {
                assertThat(nalTypes(f.data())).containsExactly(1);
            }
            file.writeBytes(f.data());
            decoded.addAll(dec.decode(f));
        }
        // Our own decoder reads the frame counter back from every picture.
        assertThat(decoded).hasSize(60);
        for (int i = 0; i < 60; i++) {
            assertThat(SyntheticVideo.readFrameCounter(decoded.get(i))).isEqualTo(i);
            assertThat(decoded.get(i).timestampMicros()).isEqualTo(Math.round(i * 1e6 / 30));
        }
        Path h264 = dir.resolve("ours.h264");
        Files.write(h264, file.toByteArray());
        assertThat(Tools.run("ffmpeg", "-v", "error", "-f", "h264", "-i", h264.toString(), "-f", "null", "-"))
                .isEmpty();
        String probe = Tools.run("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=profile,width,height,nb_read_frames,level", "-of", "default=nw=1", h264.toString());
        assertThat(probe).contains("profile=Constrained Baseline", "width=320", "height=240", "nb_read_frames=60",
                "level=31");
    }

    @Test
    void ffmpegBaselineMainAndHighProfileStreamsDecodeToExactlyFfmpegsFrames() throws Exception {
        for (String profile : new String[] {"baseline", "main", "high"}) {
            Path h264 = dir.resolve(profile + ".h264");
            Tools.run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=176x144:rate=25", "-frames:v", "40",
                    "-c:v", "libx264", "-profile:v", profile, "-pix_fmt", "yuv420p", "-g", "20", h264.toString());
            Path md5 = dir.resolve(profile + ".md5");
            Tools.run("ffmpeg", "-v", "error", "-i", h264.toString(), "-f", "framemd5", md5.toString());
            List<String> expected = Files.readAllLines(md5).stream().filter(l -> !l.startsWith("#"))
                    .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
            assertThat(expected).hasSize(40);

            H264Decoder dec = new H264Decoder();
            List<VideoFrame> frames = new ArrayList<>();
            long ts = 0;
            for (byte[] au : accessUnits(Files.readAllBytes(h264))) {
                frames.addAll(dec.decode(new EncodedFrame(Codec.H264, au, ts, false)));
                ts += 3600;
            }
            frames.addAll(dec.flush());
            MessageDigest md = MessageDigest.getInstance("MD5");
            List<String> ours = frames.stream().map(f -> HexFormat.of().formatHex(md.digest(f.toPacked()))).toList();
            assertThat(ours).as(profile).isEqualTo(expected);
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // the hang, if it came back
    void jcodecsCabacHangIsRefusedWithinTheBinsTheStandardAllows() throws Exception {
        // The mutated main-profile stream that looped JCodec 0.2.5 for ever in CABAC.readMBQpDelta: now its slice
        // runs out of bins (H.264 7.4.2.10) and is refused like any malformed access unit.
        byte[] hang = resource("hangs/jcodec-cabac-mb-qp-delta.h264");
        H264Decoder dec = new H264Decoder();
        List<byte[]> units = new ArrayList<>();
        for (int start = 0, next; start >= 0; start = next) {
            next = indexOfStartCode(hang, start + 3);
            units.add(java.util.Arrays.copyOfRange(hang, start, next < 0 ? hang.length : next));
        }
        int refused = 0;
        for (byte[] unit : units) {
            try {
                dec.decode(new EncodedFrame(Codec.H264, unit, 0, true));
            } catch (IllegalArgumentException e) {
                refused++;
                assertThat(e).hasMessageContaining("undecodable");
            }
        }
        assertThat(refused).isPositive();
        assertThat(dec.malformed()).isEqualTo(refused);
        new H264DecoderFuzzTest().accessUnits(hang);
        // The same decoder still decodes a good CABAC stream afterwards.
        Path h264 = dir.resolve("cabac.h264");
        Tools.run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=176x144:rate=25", "-frames:v", "5",
                "-c:v", "libx264", "-profile:v", "main", "-bf", "0", "-pix_fmt", "yuv420p", h264.toString());
        int frames = 0;
        for (byte[] au : accessUnits(Files.readAllBytes(h264))) {
            frames += dec.decode(new EncodedFrame(Codec.H264, au, 0, false)).size();
        }
        assertThat(frames).isEqualTo(5);
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // the hang, if it came back
    void jcodecsSliceHeaderHangIsRefusedBeforeJcodecReadsTheHeader() throws Exception {
        // A mutated baseline stream (the fuzz test's finding) whose slice header's reference list modification
        // runs to the slice's end: JCodec 0.2.5 read it for ever, growing a list. Refused now (H.264 7.4.3.1).
        byte[] hang = resource("hangs/jcodec-ref-list-modification.h264");
        List<String> refusals = new ArrayList<>();
        replayNalByNal(hang, refusals);
        assertThat(refusals).anyMatch(m -> m.contains("reference list modification past"));
        new H264DecoderFuzzTest().accessUnits(hang);
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // the hang, if it came back
    void jcodecsSecondReferenceListHangIsRefusedAtItsEmptySps() throws Exception {
        // A mutated baseline stream with an empty SPS NAL unit: JCodec 0.2.5 read it as an SPS of all zeros
        // (interlaced, poc type 0) that replaced the real one, while our check had skipped it and kept the real one;
        // reading a later P slice's header with different fields, the check passed a reference list modification
        // that JCodec, reading it from another bit, grew for ever. Parameter sets now live in one place, and an SPS
        // that ends before its fields (7.3.2.1.1) is refused; the stream's later pictures still decode.
        byte[] hang = resource("hangs/jcodec-empty-sps-ref-list.h264");
        List<String> refusals = new ArrayList<>();
        int pictures = replayNalByNal(hang, refusals);
        assertThat(refusals).anyMatch(m -> m.contains("malformed H.264 SPS") && m.contains("past its NAL unit"));
        assertThat(pictures).isPositive();
        new H264DecoderFuzzTest().accessUnits(hang);
    }

    // Decodes each NAL unit of an Annex B stream as an access unit of its own; returns the pictures out.
    private static int replayNalByNal(byte[] stream, List<String> refusals) {
        H264Decoder dec = new H264Decoder();
        int pictures = 0;
        for (int start = indexOfStartCode(stream, 0), next; start >= 0; start = next) {
            next = indexOfStartCode(stream, start + 3);
            try {
                pictures += dec.decode(new EncodedFrame(Codec.H264,
                        java.util.Arrays.copyOfRange(stream, start, next < 0 ? stream.length : next), 0, true)).size();
            } catch (IllegalArgumentException e) {
                refusals.add(e.getMessage());
            }
        }
        return pictures;
    }

    private static byte[] resource(String name) throws Exception {
        try (var in = H264Test.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static int indexOfStartCode(byte[] d, int from) {
        for (int i = from; i + 2 < d.length; i++) {
            if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void ourReferencePicturesAreExactlyWhatFfmpegDecodesSoNothingDrifts() throws Exception {
        // Each picture is predicted from the last one as decoders reconstruct it (deblocked), P_Skip included.
        BaselineEncoder enc = new BaselineEncoder();
        Picture pic = JCodecPictures.padded(320, 240);
        ByteBuffer out = ByteBuffer.allocate(320 * 240 * 3);
        SyntheticVideo video = new SyntheticVideo(320, 240, 30);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ByteArrayOutputStream references = new ByteArrayOutputStream();
        for (int i = 0; i < 30; i++) {
            JCodecPictures.fill(textured(video.frame(i), i), pic);
            out.clear();
            ByteBuffer au = enc.encode(pic, out, i == 0, i, 36);
            file.write(au.array(), au.position(), au.remaining());
            for (int plane = 0; plane < 3; plane++) {
                for (byte b : enc.reference().getPlaneData(plane)) {
                    references.write(b ^ 0x80);
                }
            }
        }
        assertThat(enc.skippedMacroblocks()).isPositive();
        Path h264 = dir.resolve("reference.h264");
        Files.write(h264, file.toByteArray());
        Path yuv = dir.resolve("reference.yuv");
        Tools.run("ffmpeg", "-v", "error", "-f", "h264", "-i", h264.toString(), "-f", "rawvideo", "-pix_fmt",
                "yuv420p", yuv.toString());
        assertThat(Files.readAllBytes(yuv)).isEqualTo(references.toByteArray());
    }

    @Test
    void rateControlHoldsTheTargetWithinTenPercentAndFollowsChanges() {
        // 24 s at 10 fps of a busy picture (the test pattern over a scrolling texture), on the pictures' clock:
        // 400 kbit/s for 12 s, then 200 kbit/s.
        int fps = 10;
        SyntheticVideo video = new SyntheticVideo(320, 240, fps);
        H264Encoder enc = new H264Encoder(400_000);
        int frames = 24 * fps;
        long[] bits = new long[frames];
        for (int i = 0; i < frames; i++) {
            if (i == 12 * fps) {
                enc.setTargetBitrate(200_000);
            }
            bits[i] = enc.encode(textured(video.frame(i), i)).data().length * 8L;
        }
        // Every 10 s window that lies within one target.
        int window = 10 * fps;
        for (int start = 0; start + window <= frames; start += fps) {
            boolean first = start + window <= 12 * fps;
            boolean second = start >= 12 * fps;
            if (!first && !second) {
                continue;
            }
            long sum = 0;
            for (int i = start; i < start + window; i++) {
                sum += bits[i];
            }
            double rate = sum / 10.0;
            double target = first ? 400_000 : 200_000;
            assertThat(rate).as("window from %d s", start / fps).isBetween(target * 0.9, target * 1.1);
        }
    }

    @Test
    void picturesAreDroppedWhenEvenTheCoarsestQuantiserSpendsTooMuch() throws Exception {
        // Fresh full-range noise in every picture: no macroblock can be skipped, so 320x240 at 30 fps costs over
        // 300 kbit/s even at QP 51; hold 150 kbit/s.
        SyntheticVideo video = new SyntheticVideo(320, 240, 30);
        H264Encoder enc = new H264Encoder(150_000);
        H264Decoder dec = new H264Decoder();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        long bits = 0;
        int sent = 0;
        int decoded = 0;
        for (int i = 0; i < 300; i++) {
            EncodedFrame f = enc.encode(noise(video.frame(i), i));
            if (f != null) {
                bits += f.data().length * 8L;
                sent++;
                file.writeBytes(f.data());
                decoded += dec.decode(f).size();
            }
        }
        assertThat(enc.droppedFrames()).isPositive().isEqualTo(300 - sent);
        assertThat(bits / 10.0).isBetween(150_000 * 0.9, 150_000 * 1.1);
        assertThat(decoded).isEqualTo(sent);
        Path h264 = dir.resolve("dropped.h264");
        Files.write(h264, file.toByteArray());
        assertThat(Tools.run("ffmpeg", "-v", "error", "-f", "h264", "-i", h264.toString(), "-f", "null", "-"))
                .isEmpty();
    }

    @Test
    void fiveHundredKilobitsAt640x480AreHeldOverEveryTenSecondsAtFullFrameRateAndFfmpegDecodesTheStream()
            throws Exception {
        // JCodec alone codes every macroblock (about 1.7 Mbit/s here even at QP 51); P_Skip macroblocks hold
        // 500 kbit/s with every picture sent.
        int fps = 30;
        int frames = 12 * fps;
        SyntheticVideo video = new SyntheticVideo(640, 480, fps);
        H264Encoder enc = new H264Encoder(500_000);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        long[] bits = new long[frames];
        for (int i = 0; i < frames; i++) {
            EncodedFrame f = enc.encode(textured(video.frame(i), i));
            assertThat(f).as("picture %d", i).isNotNull();
            bits[i] = f.data().length * 8L;
            file.writeBytes(f.data());
        }
        for (int start = 0; start + 10 * fps <= frames; start += fps) {
            long sum = 0;
            for (int i = start; i < start + 10 * fps; i++) {
                sum += bits[i];
            }
            assertThat(sum / 10.0).as("window from %d s", start / fps).isBetween(500_000 * 0.9, 500_000 * 1.1);
        }
        assertThat(enc.droppedFrames()).isZero();
        Path h264 = dir.resolve("500k.h264");
        Files.write(h264, file.toByteArray());
        assertThat(Tools.run("ffmpeg", "-v", "error", "-f", "h264", "-i", h264.toString(), "-f", "null", "-"))
                .isEmpty();
        double psnr = ffmpegLumaPsnr(h264, frames, i -> textured(video.frame(i), i));
        System.out.printf("H.264 640x480 at 500 kbit/s: %d of %d pictures sent, %.1f %% of macroblocks skipped, "
                + "luma PSNR %.2f dB (ffmpeg's decode against the source), last QP %d%n", frames - enc.droppedFrames(),
                frames, 100.0 * enc.skippedMacroblocks() / (frames * 1200.0), psnr, enc.lastQp());
        assertThat(psnr).isGreaterThan(25);
    }

    /** Mean luma PSNR of ffmpeg's decode of {@code h264} against the pictures that were encoded. */
    static double ffmpegLumaPsnr(Path h264, int frames, java.util.function.IntFunction<VideoFrame> source)
            throws Exception {
        Path yuv = h264.resolveSibling(h264.getFileName() + ".yuv");
        Tools.run("ffmpeg", "-v", "error", "-f", "h264", "-i", h264.toString(), "-f", "rawvideo", "-pix_fmt",
                "yuv420p", yuv.toString());
        byte[] decoded = Files.readAllBytes(yuv);
        VideoFrame first = source.apply(0);
        int w = first.width();
        int h = first.height();
        int size = w * h * 3 / 2;
        assertThat(decoded.length).isEqualTo(frames * size);
        double sum = 0;
        for (int i = 0; i < frames; i++) {
            VideoFrame f = source.apply(i);
            long se = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int d = (f.dataY()[y * f.strideY() + x] & 0xFF) - (decoded[i * size + y * w + x] & 0xFF);
                    se += d * d;
                }
            }
            double mse = Math.max(se / (double) (w * h), 1e-3);
            sum += 10 * Math.log10(255.0 * 255.0 / mse);
        }
        return sum / frames;
    }

    /** The picture's luma replaced by noise over the whole range, new in every picture. */
    static VideoFrame noise(VideoFrame f, int index) {
        byte[] y = new byte[f.dataY().length];
        new java.util.Random(index).nextBytes(y);
        return new VideoFrame(f.width(), f.height(), y, f.dataU(), f.dataV(), f.timestampMicros());
    }

    /** The picture with a texture scrolling under it, so that every frame costs bits. */
    static VideoFrame textured(VideoFrame f, int index) {
        byte[] y = f.dataY().clone();
        for (int row = 0; row < f.height(); row++) {
            for (int x = 0; x < f.width(); x++) {
                int h = (x + index * 3) * 73 + row * 151;
                int noise = (int) ((h * 2654435761L) >>> 27 & 31) - 16;
                int v = (y[row * f.strideY() + x] & 0xFF) + noise;
                y[row * f.strideY() + x] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new VideoFrame(f.width(), f.height(), y, f.dataU(), f.dataV(), f.timestampMicros());
    }

    @Test
    void badInputIsRefusedAndTheNextKeyFrameRecovers() {
        H264Decoder dec = new H264Decoder();
        H264Encoder enc = new H264Encoder(300_000);
        SyntheticVideo video = new SyntheticVideo(64, 48, 30);
        EncodedFrame key = enc.encode(video.frame(0));
        EncodedFrame delta = enc.encode(video.frame(1));
        assertThatThrownBy(() -> dec.decode(delta)).hasMessageContaining("before any SPS");
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 300; i++) {
            byte[] junk = key.data().clone();
            for (int k = 0; k < 1 + r.nextInt(8); k++) {
                junk[20 + r.nextInt(junk.length - 20)] = (byte) r.nextInt();
            }
            try {
                dec.decode(new EncodedFrame(Codec.H264, junk, i, true));
            } catch (IllegalArgumentException refused) {
                // counted
            }
        }
        assertThatThrownBy(() -> dec.decode(new EncodedFrame(Codec.VP8, new byte[4], 0, true)))
                .hasMessageContaining("not H.264");
        H264Decoder fresh = new H264Decoder();
        assertThat(fresh.decode(key)).hasSize(1);
        assertThat(fresh.decode(delta)).hasSize(1);
        assertThatThrownBy(() -> enc.encode(VideoFrame.black(63, 48, 0))).hasMessageContaining("even");
    }

    @Test
    void decodingLeavesTheFramesBytesAsTheyWere() throws Exception {
        // Some access units have emulation prevention bytes (00 00 03, H.264 section 7.4.1), which JCodec strips in
        // place: libx264 at a fine quantiser writes a few; decode the stream and keep the first such unit.
        Path h264 = dir.resolve("escaped.h264");
        Tools.run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=176x144:rate=25", "-frames:v", "10",
                "-c:v", "libx264", "-profile:v", "baseline", "-qp", "10", "-pix_fmt", "yuv420p", h264.toString());
        H264Decoder dec = new H264Decoder();
        EncodedFrame escaped = null;
        for (byte[] au : accessUnits(Files.readAllBytes(h264))) {
            EncodedFrame f = new EncodedFrame(Codec.H264, au, 0, false);
            byte[] before = au.clone();
            dec.decode(f);
            assertThat(f.data()).isEqualTo(before);
            for (int i = 0; i + 2 < au.length && escaped == null; i++) {
                escaped = au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 3 ? f : null;
            }
        }
        assertThat(escaped).as("an access unit with emulation prevention bytes").isNotNull();
    }

    /** NAL unit types of an Annex B access unit, in order. */
    static List<Integer> nalTypes(byte[] au) {
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i + 3 < au.length; i++) {
            if (au[i] == 0 && au[i + 1] == 0 && au[i + 2] == 1) {
                types.add(au[i + 3] & 0x1F);
                i += 3;
            }
        }
        return types;
    }

    /** Cuts an Annex B stream into access units: everything up to and including each slice (one slice per picture). */
    static List<byte[]> accessUnits(byte[] stream) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + 3 < stream.length; i++) {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
                starts.add(i);
                i += 2;
            }
        }
        List<byte[]> units = new ArrayList<>();
        int from = 0;
        for (int k = 0; k < starts.size(); k++) {
            int type = stream[starts.get(k) + 3] & 0x1F;
            if (type == 1 || type == 5) {
                int end = k + 1 < starts.size() ? starts.get(k + 1) : stream.length;
                // A four-byte start code's leading zero belongs to the next unit.
                if (end < stream.length && end > 0 && stream[end - 1] == 0) {
                    end--;
                }
                units.add(java.util.Arrays.copyOfRange(stream, from, end));
                from = end;
            }
        }
        return units;
    }
}
