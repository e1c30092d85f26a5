package org.rtc4j.media.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * Files we write are read by tools we did not write: ffprobe finds the codecs, the frame count and the duration
 * (within one frame); ffmpeg decodes every frame without an error, to the same pictures as the source it was
 * remuxed from; PyAV decodes every frame. A recording cut short (truncated, or its process killed) decodes up to
 * its last whole block or page (WAV: its last whole sample).
 */
class RecordingsReadByFfmpegTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() {
        LoopbackNamespace.require();
    }

    static Stream<Arguments> recordings() {
        return Stream.of(
                Arguments.of("vp8.webm", "libvpx", "libopus", "vp8 opus"),
                Arguments.of("vp9.webm", "libvpx-vp9", "libopus", "vp9 opus"),
                Arguments.of("av1.webm", "libaom-av1", "libopus", "av1 opus"),
                Arguments.of("h264.mkv", "libx264", "libopus", "h264 opus"),
                Arguments.of("vp8.mkv", "libvpx", null, "vp8"),
                Arguments.of("vp8-opus.mkv", "libvpx", "libopus", "vp8 opus"),
                Arguments.of("vp9-opus.mkv", "libvpx-vp9", "libopus", "vp9 opus"),
                Arguments.of("av1-opus.mkv", "libaom-av1", "libopus", "av1 opus"),
                Arguments.of("opus.ogg", null, "libopus", "opus"),
                Arguments.of("vp8.ivf", "libvpx", null, "vp8"),
                Arguments.of("vp9.ivf", "libvpx-vp9", null, "vp9"),
                Arguments.of("av1.ivf", "libaom-av1", null, "av1"));
    }

    /** Reads an ffmpeg-made source with our reader and records it with our writer into {@code out}. */
    static int[] remux(Path source, Path out) throws Exception {
        List<TrackFrame> frames;
        List<ContainerTrack> tracks;
        try (EncodedReader r = FfmpegFilesReadTest.open(source)) {
            tracks = r.tracks();
            frames = FfmpegFilesReadTest.readAll(r);
        }
        int[] counts = new int[tracks.size()];
        try (EncodedWriter w = writer(out, tracks)) {
            for (TrackFrame f : frames) {
                w.write(f.track(), f.frame());
                counts[f.track()]++;
            }
        }
        return counts;
    }

    /** Our writer for the container {@code out}'s extension names. */
    static EncodedWriter writer(Path out, List<ContainerTrack> tracks) throws java.io.IOException {
        String name = out.getFileName().toString();
        return name.endsWith(".ogg") ? OggOpusWriter.create(out, tracks.get(0))
                : name.endsWith(".ivf") ? IvfWriter.create(out, tracks.get(0), 30)
                : name.endsWith(".webm") ? MatroskaWriter.createWebm(out, tracks)
                : MatroskaWriter.createMatroska(out, tracks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordings")
    void ffmpegAndPyavReadOurRecording(String name, String video, String audio, String codecs) throws Exception {
        Path source = FfmpegFilesReadTest.encode(dir, "src-" + name, video, audio);
        Path out = dir.resolve("ours-" + name);
        int[] counts = remux(source, out);
        String[] names = codecs.split(" ");
        int t = 0;
        for (String kind : video != null && audio != null ? new String[] {"v", "a"}
                : video != null ? new String[] {"v"} : new String[] {"a"}) {
            assertThat(MediaTools.stream(out, kind, "codec_name")).isEqualTo(names[t]);
            assertThat(MediaTools.stream(out, kind, "nb_read_packets")).isEqualTo(String.valueOf(counts[t]));
            t++;
        }
        double frame = video != null ? 1 / 30.0 : 0.02;
        assertThat(MediaTools.formatDuration(out)).isCloseTo(MediaTools.formatDuration(source),
                org.assertj.core.data.Offset.offset(frame));
        assertThat(MediaTools.decodeErrors(out)).isEmpty();
        if (video != null) {
            List<String> sourcePictures = MediaTools.frameMd5(source, "v:0");
            assertThat(sourcePictures).hasSizeGreaterThanOrEqualTo(10);
            assertThat(MediaTools.frameMd5(out, "v:0")).isEqualTo(sourcePictures);
        }
        if (name.equals("av1.webm")) {
            // av1C built from the sequence header: the same record libaom's muxer in ffmpeg writes
            assertThat(MediaTools.videoExtradata(out)).contains("0000000").isEqualTo(MediaTools.videoExtradata(source));
        }
        StringBuilder pyav = new StringBuilder();
        t = 0;
        for (String codec : names) {
            String decoder = codec.equals("opus") ? "opus" : codec.equals("av1") ? "(libdav1d|libaom-av1|av1)"
                    : codec.equals("vp9") ? "(vp9|libvpx-vp9)" : codec.equals("vp8") ? "(vp8|libvpx)" : codec;
            pyav.append(pyav.isEmpty() ? "" : " ").append(decoder).append(':').append(counts[t++]);
        }
        assertThat(MediaTools.pyav(out)).matches(pyav.toString());
    }

    static Stream<Arguments> cut() {
        return Stream.of(Arguments.of("vp8.webm", "libvpx", "libopus"), Arguments.of("opus.ogg", null, "libopus"),
                Arguments.of("vp9.ivf", "libvpx-vp9", null), Arguments.of("h264.mkv", "libx264", "libopus"));
    }

    /** Truncated anywhere, a recording decodes every frame our reader finds whole, as the full one does. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cut")
    void truncatedRecordingDecodesUpToTheCut(String name, String video, String audio) throws Exception {
        Path source = FfmpegFilesReadTest.encode(dir, "cut-src-" + name, video, audio, "-t", "1.5");
        Path full = dir.resolve("cut-full-" + name);
        remux(source, full);
        String stream = video != null ? "v:0" : "a:0";
        List<String> all = MediaTools.frameMd5(full, stream);
        long size = Files.size(full);
        for (double fraction : new double[] {0.45, 0.71, 0.93}) {
            Path cut = dir.resolve("cut-" + fraction + "-" + name);
            Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(full), (int) (size * fraction)));
            int whole = wholeFrames(cut, video != null);
            assertThat(whole).as("frames before the cut").isGreaterThan(0);
            List<String> decoded = MediaTools.frameMd5(cut, stream);
            assertThat(decoded.size()).as("frames ffmpeg decodes at %s", fraction).isGreaterThanOrEqualTo(whole);
            // The whole frames decode as in the full file; a frame cut in two is the decoder's to conceal.
            assertThat(decoded.subList(0, whole)).isEqualTo(all.subList(0, whole));
        }
    }

    /** Frames of the first track of a kind our reader reads whole before the file ends. */
    static int wholeFrames(Path file, boolean video) throws Exception {
        int n = 0;
        try (EncodedReader r = FfmpegFilesReadTest.open(file)) {
            while (true) {
                TrackFrame f = r.read();
                if (f == null) {
                    break;
                }
                if (f.frame().codec().isVideo() == video) {
                    n++;
                }
            }
        } catch (ContainerFormatException e) {
            assertThat(e).hasMessageContaining("ends");
        }
        return n;
    }

    /**
     * A recorder process killed with SIGKILL mid-recording leaves a file that decodes to its last whole block
     * (Matroska: cluster), the video to the source's pictures.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cut")
    void killedRecorderLeavesAPlayableFile(String name, String video, String audio) throws Exception {
        Path source = FfmpegFilesReadTest.encode(dir, "kill-src-" + name, video, audio);
        Path out = dir.resolve("killed-" + name);
        recordUntilKilled(source, out);
        int whole = wholeFrames(out, video != null);
        assertThat(whole).isGreaterThanOrEqualTo(5 * 10);
        String stream = video != null ? "v:0" : "a:0";
        List<String> decoded = MediaTools.frameMd5(out, stream);
        assertThat(decoded.size()).isGreaterThanOrEqualTo(whole);
        if (video != null) { // each loop starts on a key frame: the source's pictures over and over
            List<String> pictures = MediaTools.frameMd5(source, stream);
            for (int i = 0; i < whole; i++) {
                assertThat(decoded.get(i)).as("picture %d", i).isEqualTo(pictures.get(i % pictures.size()));
            }
        }
    }

    /** Runs {@link RecorderChild} from {@code source} into {@code out} and kills it after five loops. */
    private static void recordUntilKilled(Path source, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RecorderChild.class.getName(), source.toString(), out.toString()).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            for (int i = 0; i < 5; i++) {
                String line = lines.readLine();
                assertThat(line).as("recorder output").startsWith("loop");
            }
            child.destroyForcibly(); // SIGKILL: nothing runs after this, no close, no shutdown hook
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * WAV killed mid-recording (its sizes never patched) and a closed WAV cut short: ffmpeg decodes every whole
     * sample on disk, the source's samples over and over, and nothing more.
     */
    @Test
    void killedOrTruncatedWavDecodesEverySampleWritten() throws Exception {
        Path source = dir.resolve("kill-src.wav");
        MediaTools.ffmpeg("-f", "lavfi", "-i", "sine=f=440:r=48000:d=0.34", "-ac", "2", "-c:a", "pcm_s16le",
                source.toString());
        byte[] loop = pcm(source);
        Path killed = dir.resolve("killed.wav");
        recordUntilKilled(source, killed);
        byte[] decoded = pcm(killed);
        long onDisk = (Files.size(killed) - 44) / 4 * 4; // whole stereo 16-bit samples after the 44-byte header
        assertThat((long) decoded.length).isEqualTo(onDisk).isGreaterThanOrEqualTo(5L * loop.length);
        for (int at = 0; at < decoded.length; at += loop.length) {
            int n = Math.min(loop.length, decoded.length - at);
            assertThat(java.util.Arrays.equals(decoded, at, at + n, loop, 0, n)).as("loop at byte %d", at).isTrue();
        }
        Path closed = dir.resolve("closed.wav");
        try (WavReader r = new WavReader(source); WavWriter w = WavWriter.create(closed, 48_000, 2)) {
            for (org.rtc4j.media.MediaFrame f = r.read(); f != null; f = r.read()) {
                w.write((org.rtc4j.media.AudioFrame) f);
            }
        }
        byte[] full = Files.readAllBytes(closed);
        for (double fraction : new double[] {0.45, 0.71, 0.93}) {
            Path cut = dir.resolve("cut-" + fraction + ".wav");
            int size = (int) (full.length * fraction);
            Files.write(cut, java.util.Arrays.copyOf(full, size));
            int whole = (size - 44) / 4 * 4;
            assertThat(pcm(cut)).as("cut at %s", fraction).isEqualTo(java.util.Arrays.copyOf(loop, whole));
        }
    }

    /** The PCM ffmpeg decodes from {@code file}, as s16le bytes. */
    private static byte[] pcm(Path file) throws Exception {
        Path raw = dir.resolve(file.getFileName() + ".raw");
        MediaTools.ffmpeg("-i", file.toString(), "-f", "s16le", "-c:a", "pcm_s16le", raw.toString());
        return Files.readAllBytes(raw);
    }

    @Test
    void webmRefusesH264() {
        assertThatThrownBy(() -> MatroskaWriter.createWebm(dir.resolve("no.webm"),
                List.of(ContainerTrack.video(Codec.H264, 64, 48))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Matroska");
    }

    @Test
    void ivfAndWebmWithoutTheirClosingPatchStillDecode() throws Exception {
        Path source = FfmpegFilesReadTest.encode(dir, "live-src.webm", "libvpx", "libopus");
        List<TrackFrame> frames;
        List<ContainerTrack> tracks;
        try (EncodedReader r = FfmpegFilesReadTest.open(source)) {
            tracks = r.tracks();
            frames = FfmpegFilesReadTest.readAll(r);
        }
        Path live = dir.resolve("live.webm");
        try (var stream = Files.newOutputStream(live)) {
            MatroskaWriter w = new MatroskaWriter(stream, true, tracks); // not closed: as if killed
            for (TrackFrame f : frames) {
                w.write(f.track(), f.frame());
            }
        }
        assertThat(MediaTools.decodeErrors(live)).isEmpty();
        assertThat(MediaTools.frameMd5(live, "v:0")).isEqualTo(MediaTools.frameMd5(source, "v:0"));
        Path ivf = dir.resolve("live.ivf");
        try (var stream = Files.newOutputStream(ivf)) {
            IvfWriter w = new IvfWriter(stream, ContainerTrack.video(Codec.VP8, 64, 48), 30);
            for (TrackFrame f : frames) {
                if (f.frame().codec() == Codec.VP8) {
                    w.write(0, f.frame());
                }
            }
        }
        assertThat(MediaTools.decodeErrors(ivf)).isEmpty();
        assertThat(MediaTools.frameMd5(ivf, "v:0")).isEqualTo(MediaTools.frameMd5(source, "v:0"));
    }
}
