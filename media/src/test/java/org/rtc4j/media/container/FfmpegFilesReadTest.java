package org.rtc4j.media.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.media.container.MediaTools.ffmpeg;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtc4j.media.container.MediaTools.Packet;
import org.rtc4j.rtp.Codec;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * Files ffmpeg writes (libvpx, libvpx-vp9, libaom-av1, libx264, libopus encoding lavfi test sources) are read by
 * our readers frame for frame: the same count, sizes, timestamps and key flags as ffprobe's packet list; H.264
 * read from Matroska and Annex B decodes to ffmpeg's own frames (MD5 of each).
 */
class FfmpegFilesReadTest {

    @TempDir
    static Path dir;

    static final String VIDEO = "testsrc2=s=64x48:r=30:d=";
    static final String AUDIO = "sine=f=440:b=4:r=48000:d=";

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("vp8.ivf", "libvpx", null),
                Arguments.of("vp9.ivf", "libvpx-vp9", null),
                Arguments.of("av1.ivf", "libaom-av1", null),
                Arguments.of("vp8.webm", "libvpx", "libopus"),
                Arguments.of("vp9.webm", "libvpx-vp9", "libopus"),
                Arguments.of("av1.webm", "libaom-av1", "libopus"),
                Arguments.of("h264.mkv", "libx264", "libopus"),
                Arguments.of("vp9.mkv", "libvpx-vp9", null),
                Arguments.of("vp8-opus.mkv", "libvpx", "libopus"),
                Arguments.of("av1-opus.mkv", "libaom-av1", "libopus"),
                Arguments.of("opus.ogg", null, "libopus"),
                Arguments.of("opus.webm", null, "libopus"));
    }

    @BeforeAll
    static void tools() {
        LoopbackNamespace.require();
    }

    /** Encodes the test sources with ffmpeg: tiny, a key frame every 4 frames. */
    static Path encode(Path dir, String name, String video, String audio, String... extra)
            throws IOException, InterruptedException {
        Path file = dir.resolve(name);
        List<String> extraArgs = List.of(extra);
        int t = extraArgs.indexOf("-t");
        String seconds = t >= 0 ? extraArgs.get(t + 1) : "0.34";
        List<String> args = new ArrayList<>();
        if (video != null) {
            args.addAll(List.of("-f", "lavfi", "-i", VIDEO + seconds));
        }
        if (audio != null) {
            args.addAll(List.of("-f", "lavfi", "-i", AUDIO + seconds));
        }
        if (video != null) {
            args.addAll(List.of("-c:v", video, "-g", "4", "-pix_fmt", "yuv420p"));
            switch (video) {
                case "libaom-av1" -> args.addAll(List.of("-cpu-used", "8", "-threads", "1"));
                case "libx264" -> args.addAll(List.of("-preset", "ultrafast", "-threads", "1"));
                default -> args.addAll(List.of("-deadline", "realtime", "-threads", "1"));
            }
        }
        if (audio != null) {
            args.addAll(List.of("-c:a", audio, "-b:a", "32k"));
        }
        args.addAll(List.of(extra));
        args.add(file.toString());
        ffmpeg(args.toArray(String[]::new));
        return file;
    }

    static EncodedReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        String name = file.getFileName().toString();
        if (name.endsWith(".ivf")) {
            return new IvfReader(in);
        } else if (name.endsWith(".ogg")) {
            return new OggOpusReader(in);
        } else if (name.endsWith(".h264")) {
            return new AnnexBReader(in, 30);
        }
        return new MatroskaReader(in);
    }

    static List<TrackFrame> readAll(EncodedReader r) throws IOException {
        List<TrackFrame> out = new ArrayList<>();
        for (TrackFrame f = r.read(); f != null; f = r.read()) {
            out.add(f);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void readsWhatFfmpegWrote(String name, String video, String audio) throws Exception {
        Path file = encode(dir, name, video, audio);
        List<TrackFrame> frames = assertReadAsFfprobeLists(file);
        if (video != null && video.equals("libx264")) {
            sameDecodedH264(file, frames);
        }
    }

    /** Our reader's frames of {@code file}: ffprobe's packets, one for one (count, size, key flag, time). */
    static List<TrackFrame> assertReadAsFfprobeLists(Path file) throws Exception {
        List<Packet> expected = MediaTools.packets(file);
        List<long[]> timeBases = MediaTools.timeBases(file);
        List<TrackFrame> frames;
        List<ContainerTrack> tracks;
        try (EncodedReader r = open(file)) {
            tracks = r.tracks();
            frames = readAll(r);
        }
        assertThat(expected).as("ffprobe's packets").hasSizeGreaterThanOrEqualTo(10);
        assertThat(tracks).hasSize(timeBases.size());
        assertThat(frames).hasSize(expected.size());
        long[] firstOurs = {-1, -1};
        long[] firstTheirs = {0, 0};
        for (int i = 0; i < frames.size(); i++) {
            Packet p = expected.get(i);
            TrackFrame f = frames.get(i);
            Codec codec = tracks.get(f.track()).codec();
            assertThat(f.track()).as("frame %d", i).isEqualTo(p.stream());
            assertThat(f.frame().codec()).isEqualTo(codec);
            if (codec != Codec.H264) {
                assertThat((long) f.frame().data().length).as("size of frame %d", i).isEqualTo(p.size());
            }
            assertThat(f.frame().keyFrame()).as("key flag of frame %d", i).isEqualTo(p.key());
            long[] tb = timeBases.get(p.stream());
            if (firstOurs[p.stream()] < 0) {
                firstOurs[p.stream()] = f.frame().timestamp();
                firstTheirs[p.stream()] = p.pts();
            }
            long theirs = Math.round((double) (p.pts() - firstTheirs[p.stream()]) * tb[0] * codec.clockRate() / tb[1]);
            long ours = (f.frame().timestamp() - firstOurs[p.stream()]) & 0xFFFF_FFFFL;
            assertThat(ours).as("timestamp of frame %d", i).isCloseTo(theirs, org.assertj.core.data.Offset.offset(
                    (long) codec.clockRate() / 1000));
        }
        return frames;
    }

    /** Our Annex B access units, written to a .h264 file, decode to exactly the frames ffmpeg decodes. */
    static void sameDecodedH264(Path original, List<TrackFrame> frames) throws Exception {
        Path annexB = original.resolveSibling(original.getFileName() + ".ours.h264");
        int video = 0;
        try (OutputStream out = Files.newOutputStream(annexB)) {
            for (TrackFrame f : frames) {
                if (f.frame().codec() == Codec.H264) {
                    out.write(f.frame().data());
                    video++;
                }
            }
        }
        List<String> theirs = MediaTools.frameMd5(original, "v:0");
        assertThat(MediaTools.decodeErrors(annexB, "-f", "h264")).isEmpty();
        assertThat(MediaTools.frameMd5(annexB, "v:0", "-f", "h264")).hasSize(video).isEqualTo(theirs);
    }

    static Stream<Arguments> annexB() {
        return Stream.of(Arguments.of("plain.h264", new String[0]),
                Arguments.of("aud.h264", new String[] {"-x264-params", "aud=1"}),
                Arguments.of("main-bframes.h264", new String[] {"-profile:v", "main", "-bf", "2", "-x264-params",
                        "slices=2"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("annexB")
    void readsAnnexBAccessUnits(String name, String[] extra) throws Exception {
        Path file = encode(dir, name, "libx264", null, extra);
        List<Packet> expected = MediaTools.packets(file);
        List<TrackFrame> frames;
        try (EncodedReader r = open(file)) {
            frames = readAll(r);
        }
        assertThat(expected).as("ffprobe's packets").hasSizeGreaterThanOrEqualTo(10);
        assertThat(frames).hasSize(expected.size());
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).frame().keyFrame()).as("key flag of frame %d", i).isEqualTo(expected.get(i).key());
            assertThat(frames.get(i).frame().timestamp()).isEqualTo(i * 3000L);
        }
        sameDecodedH264(file, frames);
    }
}
