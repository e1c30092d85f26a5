package org.rtc4j.media.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.media.container.MediaTools.ffmpeg;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.TimedEncodedFrame;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * Y4M and WAV: ffmpeg's files read by ours to the same pictures and samples (ffmpeg's framemd5 and md5), and
 * ours read by ffmpeg the same way, closed or not.
 */
class RawFilesTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() {
        LoopbackNamespace.require();
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void y4mBothWays() throws Exception {
        // Pictures larger than the writer's first 64 KiB buffer, which must grow.
        Path theirs = dir.resolve("theirs.y4m");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=322x242:r=25:d=0.4", "-pix_fmt", "yuv420p", theirs.toString());
        List<String> expected = MediaTools.frameMd5(theirs, "v:0");
        assertThat(expected).hasSize(10);
        List<VideoFrame> frames = new ArrayList<>();
        try (Y4mReader r = new Y4mReader(theirs)) {
            for (MediaFrame f = r.read(); f != null; f = r.read()) {
                frames.add((VideoFrame) f);
            }
            r.rewind();
            assertThat(r.read()).isEqualTo(frames.get(0));
        }
        List<String> ours = new ArrayList<>();
        for (VideoFrame f : frames) {
            ours.add(md5(f.toPacked()));
        }
        assertThat(ours).isEqualTo(expected);
        assertThat(frames.get(3).timestampMicros()).isEqualTo(120_000);

        Path written = dir.resolve("ours.y4m");
        try (Y4mWriter w = Y4mWriter.create(written, 25)) {
            for (VideoFrame f : frames) {
                w.write(f);
            }
        }
        assertThat(MediaTools.decodeErrors(written)).isEmpty();
        assertThat(MediaTools.frameMd5(written, "v:0")).isEqualTo(expected);
        assertThat(MediaTools.formatDuration(written)).isCloseTo(0.4, org.assertj.core.data.Offset.offset(0.04));
        assertThat(MediaTools.pyav(written)).isEqualTo("rawvideo:10");
    }

    @Test
    void y4mOfFramesLargerThanTheWritersFirstBuffer() throws Exception {
        // 640x480 is 460,800 bytes a frame, past the 64 KiB the writer starts with.
        org.rtc4j.media.SyntheticVideo pattern = new org.rtc4j.media.SyntheticVideo(640, 480, 30);
        Path written = dir.resolve("large.y4m");
        try (Y4mWriter w = Y4mWriter.create(written, 30)) {
            w.write(pattern.frame(0));
            w.write(pattern.frame(1));
        }
        try (Y4mReader r = new Y4mReader(written)) {
            assertThat(((VideoFrame) r.read()).toPacked()).isEqualTo(pattern.frame(0).toPacked());
            assertThat(((VideoFrame) r.read()).toPacked()).isEqualTo(pattern.frame(1).toPacked());
        }
    }

    @Test
    void wavBothWaysClosedOrNot() throws Exception {
        Path theirs = dir.resolve("theirs.wav");
        ffmpeg("-f", "lavfi", "-i", "sine=f=440:r=44100:d=0.5", "-ac", "2", "-c:a", "pcm_s16le", theirs.toString());
        String expected = md5(pcm(theirs));
        List<AudioFrame> frames = new ArrayList<>();
        try (WavReader r = new WavReader(theirs)) {
            assertThat(r.sampleRate()).isEqualTo(44_100);
            assertThat(r.channels()).isEqualTo(2);
            for (MediaFrame f = r.read(); f != null; f = r.read()) {
                frames.add((AudioFrame) f);
            }
        }
        assertThat(frames.stream().mapToInt(AudioFrame::samplesPerChannel).sum()).isEqualTo(22_050);
        assertThat(frames.get(1).timestampMicros()).isEqualTo(20_000);
        assertThat(md5(concat(frames))).isEqualTo(expected);

        Path closed = dir.resolve("ours.wav");
        try (WavWriter w = WavWriter.create(closed, 44_100, 2)) {
            for (AudioFrame f : frames) {
                w.write(f);
            }
        }
        Path open = dir.resolve("ours-unclosed.wav");
        try (OutputStream stream = Files.newOutputStream(open)) {
            WavWriter w = new WavWriter(stream, 44_100, 2); // never closed: sizes stay 0xFFFFFFFF
            for (AudioFrame f : frames) {
                w.write(f);
            }
        }
        for (Path p : List.of(closed, open)) {
            assertThat(MediaTools.decodeErrors(p)).isEmpty();
            assertThat(md5(pcm(p))).as("%s", p).isEqualTo(expected);
            assertThat(MediaTools.stream(p, "a", "codec_name")).isEqualTo("pcm_s16le");
            assertThat(MediaTools.pyav(p)).startsWith("pcm_s16le:");
        }
        assertThat(MediaTools.formatDuration(closed)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.001));
    }

    /** The PCM ffmpeg decodes from a file, as s16le bytes. */
    static byte[] pcm(Path file) throws Exception {
        Path raw = dir.resolve(file.getFileName() + ".raw");
        ffmpeg("-i", file.toString(), "-f", "s16le", "-c:a", "pcm_s16le", raw.toString());
        return Files.readAllBytes(raw);
    }

    static byte[] concat(List<AudioFrame> frames) {
        var out = new java.io.ByteArrayOutputStream();
        for (AudioFrame f : frames) {
            out.writeBytes(f.toLittleEndian());
        }
        return out.toByteArray();
    }

    @Test
    void containerFrameReaderTimesOneTrackAndLoops() throws Exception {
        Path webm = FfmpegFilesReadTest.encode(dir, "timed.webm", "libvpx", "libopus");
        try (ContainerFrameReader video = new ContainerFrameReader(webm, MediaKind.VIDEO, 30);
             ContainerFrameReader audio = new ContainerFrameReader(webm, MediaKind.AUDIO, 30)) {
            List<TimedEncodedFrame> v = new ArrayList<>();
            for (MediaFrame f = video.read(); f != null; f = video.read()) {
                v.add((TimedEncodedFrame) f);
            }
            assertThat(v).hasSize(MediaTools.frameMd5(webm, "v:0").size());
            assertThat(v.get(3).timestampMicros() - v.get(0).timestampMicros()).isEqualTo(100_000);
            video.rewind();
            assertThat(((TimedEncodedFrame) video.read()).frame()).isEqualTo(v.get(0).frame());
            TimedEncodedFrame a0 = (TimedEncodedFrame) audio.read();
            TimedEncodedFrame a1 = (TimedEncodedFrame) audio.read();
            TimedEncodedFrame a2 = (TimedEncodedFrame) audio.read();
            assertThat(a0.frame().codec().isVideo()).isFalse();
            assertThat(a0.durationMicros()).isEqualTo(20_000);
            // ffmpeg's first Opus packet starts 6.5 ms (the pre-skip, as CodecDelay) before the video
            assertThat(a0.timestampMicros()).isEqualTo(-6_500);
            assertThat(a2.timestampMicros() - a1.timestampMicros()).isEqualTo(20_000);
        }
    }
}
