package org.rtc4j.media.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.container.MediaTools.Packet;
import org.rtc4j.media.container.internal.OpusToc;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * Frames whose RTP times repeat, fall within one millisecond or step back (a loaded receiver, late or reordered
 * frames) still make files that ffmpeg decodes without an error: each track's times in order, moved as little as
 * the container's clock needs, every other frame at its own time.
 */
class RecordingTimesTest {

    @TempDir
    static Path dir;

    /** 90 kHz ticks of one frame at 30 frames a second. */
    private static final long FRAME = 3000;

    @BeforeAll
    static void tools() {
        LoopbackNamespace.require();
    }

    /** Video frame {@code i}'s RTP time: frame 10 repeats 9's, 15 steps back to 13's, 20 is 0.1 ms after 19. */
    private static long videoTicks(int i) {
        return switch (i) {
            case 10 -> 9 * FRAME;
            case 15 -> 13 * FRAME;
            case 20 -> 19 * FRAME + 9;
            default -> i * FRAME;
        };
    }

    /** Audio packet {@code i}'s RTP time (48 kHz, 20 ms): packet 5 repeats 4's, 8 steps back to 6's. */
    private static long audioTicks(int i) {
        return switch (i) {
            case 5 -> 4 * 960;
            case 8 -> 6 * 960;
            default -> i * 960L;
        };
    }

    /** The source's frames with the times above, in the source's order; its tracks into {@code tracks}. */
    private static List<TrackFrame> retimedSource(String name, String video, String audio,
                                                  List<ContainerTrack> tracks) throws Exception {
        Path source = FfmpegFilesReadTest.encode(dir, name, video, audio, "-t", "1");
        List<TrackFrame> out = new ArrayList<>();
        int[] index = new int[2];
        try (EncodedReader r = FfmpegFilesReadTest.open(source)) {
            tracks.addAll(r.tracks());
            for (TrackFrame f : FfmpegFilesReadTest.readAll(r)) {
                EncodedFrame e = f.frame();
                int i = index[f.track()]++;
                long ticks = e.codec().isVideo() ? videoTicks(i) : audioTicks(i);
                out.add(new TrackFrame(f.track(), new EncodedFrame(e.codec(), e.data(), ticks, e.keyFrame())));
            }
        }
        assertThat(index[0]).isGreaterThan(25);
        return out;
    }

    private static List<Long> pts(List<Packet> packets, int stream) {
        return packets.stream().filter(p -> p.stream() == stream).map(Packet::pts).toList();
    }

    @Test
    void webmVideoTimesStrictlyIncreaseAndAudioNeverOverlaps() throws Exception {
        List<ContainerTrack> tracks = new ArrayList<>();
        List<TrackFrame> frames = retimedSource("times-src.webm", "libvpx", "libopus", tracks);
        Path out = dir.resolve("times.webm");
        MatroskaWriter w = MatroskaWriter.createWebm(out, tracks);
        for (TrackFrame f : frames) {
            w.write(f.track(), f.frame());
        }
        w.close();
        assertThat(w.retimed()).as("video frames 10, 15, 20 and audio packets 5 and 8 moved").isEqualTo(5);

        // A full decode in the file's own time base: ffmpeg's null muxer rejects times that repeat or step back.
        assertThat(MediaTools.decodeErrors(out)).isEmpty();
        List<Packet> packets = MediaTools.packets(out);
        List<Long> video = pts(packets, 0);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < video.size(); i++) {
            long ms = Math.round(videoTicks(i) / 90.0);
            expected.add(i == 10 || i == 15 || i == 20 ? expected.get(i - 1) + 1 : ms);
        }
        assertThat(video).as("1 ms after the frame before where needed, else each frame's own time")
                .isEqualTo(expected);
        List<Long> audio = pts(packets, 1);
        for (int i = 1; i < audio.size(); i++) {
            // Packets 5 and 8 would overlap the packet before: each goes where that one ends, its own place here.
            assertThat(audio.get(i) - audio.get(i - 1)).as("audio packet %d", i).isEqualTo(20);
        }
        assertThat(MediaTools.frameMd5(out, "v:0")).hasSize(video.size());
    }

    @Test
    void ivfFrameTimesStrictlyIncrease() throws Exception {
        List<ContainerTrack> tracks = new ArrayList<>();
        List<TrackFrame> frames = retimedSource("times-src.ivf", "libvpx", null, tracks);
        Path out = dir.resolve("times.ivf");
        IvfWriter w = IvfWriter.create(out, tracks.get(0), 30);
        for (TrackFrame f : frames) {
            w.write(0, f.frame());
        }
        w.close();
        assertThat(w.retimed()).as("frames 10, 15 and 20 moved").isEqualTo(3);

        assertThat(MediaTools.decodeErrors(out)).isEmpty();
        List<Long> video = pts(MediaTools.packets(out), 0);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < video.size(); i++) {
            expected.add(i == 10 || i == 15 || i == 20 ? expected.get(i - 1) + 1 : i);
        }
        assertThat(video).isEqualTo(expected);
    }

    @Test
    void oggDropsAudioThatWouldDelayWhatFollows() throws Exception {
        List<ContainerTrack> tracks = new ArrayList<>();
        List<TrackFrame> frames = retimedSource("times-src.ogg", null, "libopus", tracks);
        Path out = dir.resolve("times.ogg");
        OggOpusWriter w = OggOpusWriter.create(out, tracks.get(0));
        for (TrackFrame f : frames) {
            w.write(0, f.frame());
        }
        w.close();
        assertThat(w.dropped()).as("packets 5 and 8").isEqualTo(2);

        assertThat(MediaTools.decodeErrors(out)).isEmpty();
        List<TrackFrame> written;
        try (EncodedReader r = FfmpegFilesReadTest.open(out)) {
            written = FfmpegFilesReadTest.readAll(r);
        }
        assertThat(written).hasSameSizeAs(frames);
        for (int i = 0; i < written.size(); i++) {
            EncodedFrame f = written.get(i).frame();
            assertThat(f.timestamp()).as("packet %d on the time line", i).isEqualTo(i * 960L);
            // Where packets 5 and 8 were dropped, the gap before the next packet is filled (a 1-byte packet).
            assertThat(f.data()).as("packet %d", i)
                    .isEqualTo(i == 5 || i == 8 ? OpusToc.silence20ms(tracks.get(0).channels() == 2)
                            : frames.get(i).frame().data());
        }
    }
}
