package org.rtc4j.media.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.rtc4j.media.container.internal.Ebml.*;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.media.container.internal.ByteBuilder;
import org.rtc4j.rtp.Codec;

/**
 * What ffmpeg's muxer does not write, built element by element: the three lacings (RFC 9559 10.3), BlockGroups
 * with and without ReferenceBlock, Clusters of unknown size ended by the next top-level element, unknown tracks.
 */
class MatroskaReaderTest {

    /** An Opus packet of {@code n} bytes: TOC of a 20 ms CELT frame (config 31, code 0), then filler. */
    static byte[] opus(int n, int fill) {
        byte[] p = new byte[n];
        java.util.Arrays.fill(p, (byte) fill);
        p[0] = (byte) 0xF8;
        return p;
    }

    static byte[] header(String docType) {
        ByteBuilder b = new ByteBuilder(512);
        ByteBuilder c = new ByteBuilder(64);
        string(c, DOC_TYPE, docType);
        master(b, EBML, c);
        id(b, SEGMENT);
        b.be(UNKNOWN_SIZE_8, 8);
        c.reset();
        uint(c, TIMESTAMP_SCALE, 1_000_000);
        master(b, INFO, c);
        ByteBuilder tracks = new ByteBuilder(128);
        ByteBuilder e = new ByteBuilder(64);
        uint(e, TRACK_NUMBER, 1);
        string(e, CODEC_ID, "A_OPUS");
        master(tracks, TRACK_ENTRY, e);
        e.reset();
        uint(e, TRACK_NUMBER, 2);
        string(e, CODEC_ID, "V_VP8");
        master(tracks, TRACK_ENTRY, e);
        e.reset();
        uint(e, TRACK_NUMBER, 3);
        string(e, CODEC_ID, "S_TEXT/UTF8"); // not ours: skipped
        master(tracks, TRACK_ENTRY, e);
        master(b, TRACKS, tracks);
        return b.toByteArray();
    }

    static void block(ByteBuilder out, int id, int track, int rel, int flags, byte[] lacing, byte[]... frames) {
        ByteBuilder b = new ByteBuilder(256);
        b.u8(0x80 | track).be(rel, 2).u8(flags);
        if (lacing != null) {
            b.u8(frames.length - 1).bytes(lacing);
        }
        for (byte[] f : frames) {
            b.bytes(f);
        }
        id(out, id);
        size(out, b.length());
        out.bytes(b.array(), 0, b.length());
    }

    @Test
    void lacingBlockGroupsAndUnknownSizeClusters() throws Exception {
        ByteBuilder f = new ByteBuilder(4096);
        f.bytes(header("webm"));
        id(f, CLUSTER);
        f.be(UNKNOWN_SIZE_8, 8);
        uint(f, TIMESTAMP, 1000);
        // Xiph lacing: sizes 300 (255 + 45) and 20, the last implied.
        block(f, SIMPLE_BLOCK, 1, 0, 0x80 | 0x02, new byte[] {(byte) 255, 45, 20}, opus(300, 1), opus(20, 2),
                opus(7, 3));
        // EBML lacing: first size 10 as a vint, then +5 as a signed 1-byte vint (0x80 | (5 + 63)).
        block(f, SIMPLE_BLOCK, 1, 60, 0x80 | 0x06, new byte[] {(byte) 0x8A, (byte) (0x80 | 68)}, opus(10, 4),
                opus(15, 5), opus(3, 6));
        // Fixed-size lacing: two frames of 8.
        block(f, SIMPLE_BLOCK, 1, 120, 0x80 | 0x04, new byte[0], opus(8, 7), opus(8, 8));
        block(f, SIMPLE_BLOCK, 3, 0, 0x80, null, new byte[] {'h', 'i'});
        ByteBuilder group = new ByteBuilder(64);
        block(group, BLOCK, 2, 33, 0, null, new byte[] {0x10, 1, 2}); // no ReferenceBlock: a key frame
        master(f, BLOCK_GROUP, group);
        group.reset();
        block(group, BLOCK, 2, 66, 0, null, new byte[] {0x11, 3});
        uint(group, REFERENCE_BLOCK, 33);
        master(f, BLOCK_GROUP, group);
        id(f, CLUSTER); // a new Cluster ends the unknown-size one
        f.be(UNKNOWN_SIZE_8, 8);
        uint(f, TIMESTAMP, 2000);
        block(f, SIMPLE_BLOCK, 2, -1, 0, null, new byte[] {0x11, 4});
        ByteBuilder cues = new ByteBuilder(8);
        uint(cues, VOID, 0);
        master(f, CUES, cues);

        List<TrackFrame> frames = new ArrayList<>();
        try (MatroskaReader r = new MatroskaReader(new ByteArrayInputStream(f.toByteArray()))) {
            assertThat(r.docType()).isEqualTo("webm");
            assertThat(r.tracks()).extracting(ContainerTrack::codec).containsExactly(Codec.OPUS, Codec.VP8);
            for (TrackFrame t = r.read(); t != null; t = r.read()) {
                frames.add(t);
            }
        }
        assertThat(frames).extracting(t -> t.frame().data().length)
                .containsExactly(300, 20, 7, 10, 15, 3, 8, 8, 3, 2, 2);
        assertThat(frames).extracting(t -> (int) t.frame().data()[1])
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 1, 3, 4);
        // Laced Opus frames follow each other by their own 20 ms; the block's time is the first one's.
        assertThat(frames.subList(0, 8)).extracting(t -> t.frame().timestamp())
                .containsExactly(48_000L, 48_960L, 49_920L, 50_880L, 51_840L, 52_800L, 53_760L, 54_720L);
        assertThat(frames.subList(8, 11)).extracting(t -> t.frame().timestamp())
                .containsExactly(1033L * 90, 1066L * 90, 1999L * 90);
        assertThat(frames.subList(8, 11)).extracting(t -> t.frame().keyFrame()).containsExactly(true, false, false);
        assertThat(frames).extracting(TrackFrame::track).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1);
    }

    @Test
    void clearErrors() {
        assertThatThrownBy(() -> new MatroskaReader(new ByteArrayInputStream(new byte[] {1, 2, 3, 4})))
                .isInstanceOf(ContainerFormatException.class).hasMessageContaining("EBML header");
        ByteBuilder f = new ByteBuilder(256);
        f.bytes(header("avi"));
        assertThatThrownBy(() -> new MatroskaReader(new ByteArrayInputStream(f.toByteArray())))
                .isInstanceOf(ContainerFormatException.class).hasMessageContaining("avi");
        ByteBuilder big = new ByteBuilder(256);
        big.bytes(header("matroska"));
        id(big, CLUSTER);
        big.be(UNKNOWN_SIZE_8, 8);
        id(big, SIMPLE_BLOCK);
        size(big, 1L << 40); // a block claiming a terabyte
        assertThatThrownBy(() -> new MatroskaReader(new ByteArrayInputStream(big.toByteArray())).read())
                .isInstanceOf(ContainerFormatException.class).hasMessageContaining("cap");
        ByteBuilder cut = new ByteBuilder(256);
        cut.bytes(header("matroska"));
        id(cut, CLUSTER);
        cut.be(UNKNOWN_SIZE_8, 8);
        block(cut, SIMPLE_BLOCK, 2, 0, 0x80, null, new byte[] {0x10, 1, 2, 3});
        byte[] whole = cut.toByteArray();
        assertThatThrownBy(() -> {
            MatroskaReader r = new MatroskaReader(new ByteArrayInputStream(java.util.Arrays.copyOf(whole,
                    whole.length - 2)));
            r.read();
        }).isInstanceOf(ContainerFormatException.class).hasMessageContaining("ends inside");
    }
}
