package org.rtc4j.media.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** Our writers' output read back by our readers: the same bytes, key flags and times; what each writer adds. */
class RoundTripTest {

    static List<TrackFrame> readAll(EncodedReader r) throws Exception {
        List<TrackFrame> out = new ArrayList<>();
        for (TrackFrame f = r.read(); f != null; f = r.read()) {
            out.add(f);
        }
        return out;
    }

    static byte[] vp8(boolean key, int n) {
        byte[] b = new byte[20 + n];
        b[0] = (byte) (key ? 0x10 : 0x11);
        b[5] = (byte) n;
        return b;
    }

    @Test
    void oggFillsGapsWithEmptyPacketsAndSpansPages() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (OggOpusWriter w = new OggOpusWriter(file, ContainerTrack.opus(2))) {
            long ts = 1_000_000;
            for (int i = 0; i < 30; i++) {
                byte[] p = MatroskaReaderTest.opus(i == 5 ? 1000 : 40, i);
                long at = i * 960L + (i >= 20 ? 4 * 960 : 0);
                EncodedFrame f = new EncodedFrame(Codec.OPUS, p, ts + at, true);
                // Times given explicitly from another origin (7 s): the first packet is the file's start.
                w.write(0, f, 7_000_000_000L + at * 1_000_000_000L / 48_000);
            }
        }
        List<TrackFrame> frames;
        try (OggOpusReader r = new OggOpusReader(new ByteArrayInputStream(file.toByteArray()))) {
            assertThat(r.tracks().get(0).preSkip()).isEqualTo(312);
            assertThat(r.tracks().get(0).channels()).isEqualTo(2);
            frames = readAll(r);
        }
        assertThat(frames).hasSize(34); // 30 packets and 4 fillers for the 80 ms gap
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).frame().timestamp()).isEqualTo(i * 960L);
        }
        assertThat(frames.get(5).frame().data()).hasSize(1000); // four lacing values of 255, then 235
        assertThat(frames.subList(20, 24)).allSatisfy(f -> assertThat(f.frame().data()).hasSize(1));
        assertThat(frames.get(24).frame().data()[1]).isEqualTo((byte) 20);
    }

    @Test
    void matroskaH264BackToAnnexBWithParameterSets() throws Exception {
        byte[] sps = {0, 0, 0, 1, 0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xDA};
        byte[] pps = {0, 0, 0, 1, 0x68, (byte) 0xCE, 0x3C, (byte) 0x80};
        byte[] idr = {0, 0, 0, 1, 0x65, (byte) 0x88, 1, 2, 3};
        byte[] p = {0, 0, 1, 0x41, (byte) 0x9A, 4, 5};
        byte[] key = concat(sps, pps, idr);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        MatroskaWriter w = new MatroskaWriter(file, false, List.of(ContainerTrack.video(Codec.H264, 64, 48)));
        w.write(0, new EncodedFrame(Codec.H264, p, 0, false)); // before the first key frame: dropped
        w.write(0, new EncodedFrame(Codec.H264, key, 2700, true)); // 30 ms after the first frame given
        w.write(0, new EncodedFrame(Codec.H264, p, 5400, false));
        w.write(0, new EncodedFrame(Codec.H264, idr, 8100, true)); // an IDR without SPS/PPS in band
        w.close();
        assertThat(w.dropped()).isEqualTo(1);
        List<TrackFrame> frames;
        try (MatroskaReader r = new MatroskaReader(new ByteArrayInputStream(file.toByteArray()))) {
            assertThat(r.docType()).isEqualTo("matroska");
            frames = readAll(r);
        }
        assertThat(frames).hasSize(3);
        assertThat(frames.get(0).frame().data()).isEqualTo(key);
        assertThat(frames.get(1).frame().data()).isEqualTo(concat(new byte[] {0}, p)); // 4-byte start code
        assertThat(frames.get(2).frame().data()).isEqualTo(key); // the avcC's SPS and PPS put in front
        assertThat(frames).extracting(f -> f.frame().keyFrame()).containsExactly(true, false, true);
        assertThat(frames).extracting(f -> f.frame().timestamp()).containsExactly(2700L, 5400L, 8100L);
    }

    @Test
    void webmAndIvfKeepBytesKeysAndTimes() throws Exception {
        List<EncodedFrame> video = new ArrayList<>();
        List<EncodedFrame> audio = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            video.add(new EncodedFrame(Codec.VP8, vp8(i % 30 == 0, i), (0xFFFF_0000L + i * 3000L) & 0xFFFF_FFFFL,
                    i % 30 == 0));
        }
        for (int i = 0; i < 150; i++) {
            audio.add(new EncodedFrame(Codec.OPUS, MatroskaReaderTest.opus(30, i), 5000 + i * 960L, true));
        }
        ByteArrayOutputStream webm = new ByteArrayOutputStream();
        try (MatroskaWriter w = new MatroskaWriter(webm, true, List.of(ContainerTrack.video(Codec.VP8, 64, 48),
                ContainerTrack.opus(1)))) {
            for (int i = 0; i < 150; i++) {
                if (i < 90) {
                    w.write(0, video.get(i));
                }
                w.write(1, audio.get(i));
            }
        }
        List<TrackFrame> frames;
        try (MatroskaReader r = new MatroskaReader(new ByteArrayInputStream(webm.toByteArray()))) {
            frames = readAll(r);
        }
        List<TrackFrame> v = frames.stream().filter(f -> f.track() == 0).toList();
        List<TrackFrame> a = frames.stream().filter(f -> f.track() == 1).toList();
        assertThat(v).hasSize(90);
        assertThat(a).hasSize(150);
        for (int i = 0; i < 90; i++) {
            assertThat(v.get(i).frame().data()).isEqualTo(video.get(i).data());
            assertThat(v.get(i).frame().keyFrame()).isEqualTo(video.get(i).keyFrame());
            // WebM keeps milliseconds: 33 or 34 ms steps of 90 kHz ticks (1/30 s is 3000).
            assertThat(v.get(i).frame().timestamp()).isCloseTo(i * 3000L, org.assertj.core.data.Offset.offset(45L));
        }
        for (int i = 0; i < 150; i++) {
            assertThat(a.get(i).frame().data()).isEqualTo(audio.get(i).data());
            // 6.5 ms of CodecDelay on the block times, stored to the millisecond: within 1 ms
            assertThat(a.get(i).frame().timestamp()).isCloseTo(i * 960L, org.assertj.core.data.Offset.offset(48L));
        }

        ByteArrayOutputStream ivf = new ByteArrayOutputStream();
        try (IvfWriter w = new IvfWriter(ivf, ContainerTrack.video(Codec.VP8, 64, 48), 30)) {
            for (EncodedFrame f : video) {
                w.write(0, f);
            }
        }
        try (IvfReader r = new IvfReader(new ByteArrayInputStream(ivf.toByteArray()))) {
            List<TrackFrame> back = readAll(r);
            for (int i = 0; i < 90; i++) {
                assertThat(back.get(i).frame()).isEqualTo(new EncodedFrame(Codec.VP8, video.get(i).data(), i * 3000L,
                        i % 30 == 0));
            }
        }
    }

    /** A closed WebM file: its SeekHead finds Info, Tracks and Cues, and each CuePoint a Cluster with a key frame. */
    @Test
    void closedWebmHasSeekHeadAndCues(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("cues.webm");
        try (MatroskaWriter w = MatroskaWriter.createWebm(file, List.of(ContainerTrack.video(Codec.VP8, 64, 48)))) {
            for (int i = 0; i < 95; i++) {
                w.write(0, new EncodedFrame(Codec.VP8, vp8(i % 30 == 0, 10), i * 3000L, i % 30 == 0));
            }
        }
        byte[] b = java.nio.file.Files.readAllBytes(file);
        int segment = indexOf(b, new byte[] {0x18, 0x53, (byte) 0x80, 0x67}) + 12; // ID and 8-byte size
        assertThat(be(b, segment, 4)).isEqualTo(0x114D9B74L); // SeekHead first
        List<Long> sought = new ArrayList<>();
        for (int at = indexOf(b, new byte[] {0x53, (byte) 0xAB}); at > 0 && at < segment + 68;
             at = indexOf(b, new byte[] {0x53, (byte) 0xAB}, at + 1)) {
            long id = be(b, at + 3, 4);
            long position = be(b, at + 7 + 3, 8);
            assertThat(be(b, (int) (segment + position), 4)).as("element at SeekPosition").isEqualTo(id);
            sought.add(id);
        }
        assertThat(sought).containsExactly(0x1549A966L, 0x1654AE6BL, 0x1C53BB6BL);
        int cues = indexOf(b, new byte[] {0x1C, 0x53, (byte) 0xBB, 0x6B});
        List<Long> clusters = new ArrayList<>();
        for (int at = indexOf(b, new byte[] {(byte) 0xF1}, cues); at > 0; at = indexOf(b, new byte[] {(byte) 0xF1},
                at + 1)) {
            int len = b[at + 1] & 0x7F;
            long position = be(b, at + 2, len);
            assertThat(be(b, (int) (segment + position), 4)).as("Cluster at CueClusterPosition").isEqualTo(0x1F43B675L);
            clusters.add(position);
            at += 1 + len;
        }
        assertThat(clusters).hasSize(4); // a Cluster at each of the four key frames
    }

    static int indexOf(byte[] b, byte[] what) {
        return indexOf(b, what, 0);
    }

    static int indexOf(byte[] b, byte[] what, int from) {
        outer:
        for (int i = from; i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static long be(byte[] b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    @Test
    void writersRefuseWhatTheirContainerCannotHold() {
        assertThatThrownBy(() -> new MatroskaWriter(new ByteArrayOutputStream(), true,
                List.of(ContainerTrack.video(Codec.H264, 64, 48)))).hasMessageContaining("H.264");
        assertThatThrownBy(() -> new IvfWriter(new ByteArrayOutputStream(), ContainerTrack.video(Codec.H264, 64, 48),
                30)).hasMessageContaining("IVF");
        assertThatThrownBy(() -> new OggOpusWriter(new ByteArrayOutputStream(),
                ContainerTrack.video(Codec.VP8, 64, 48))).hasMessageContaining("Opus");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
