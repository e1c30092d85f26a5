package org.rtc4j.media.container.internal;

/**
 * EBML (RFC 8794) as Matroska and WebM use it (RFC 9559): element IDs and variable-size integers. An element is
 * an ID (1 to 4 bytes, its length marker kept), a size (1 to 8 bytes, marker removed; all value bits set means
 * "unknown", allowed for Segment and Cluster only) and the payload.
 */
public final class Ebml {

    public static final int EBML = 0x1A45DFA3;
    public static final int EBML_VERSION = 0x4286;
    public static final int EBML_READ_VERSION = 0x42F7;
    public static final int EBML_MAX_ID_LENGTH = 0x42F2;
    public static final int EBML_MAX_SIZE_LENGTH = 0x42F3;
    public static final int DOC_TYPE = 0x4282;
    public static final int DOC_TYPE_VERSION = 0x4287;
    public static final int DOC_TYPE_READ_VERSION = 0x4285;
    public static final int VOID = 0xEC;

    public static final int SEGMENT = 0x18538067;
    public static final int SEEK_HEAD = 0x114D9B74;
    public static final int INFO = 0x1549A966;
    public static final int TIMESTAMP_SCALE = 0x2AD7B1;
    public static final int DURATION = 0x4489;
    public static final int MUXING_APP = 0x4D80;
    public static final int WRITING_APP = 0x5741;
    public static final int TRACKS = 0x1654AE6B;
    public static final int TRACK_ENTRY = 0xAE;
    public static final int TRACK_NUMBER = 0xD7;
    public static final int TRACK_UID = 0x73C5;
    public static final int TRACK_TYPE = 0x83;
    public static final int CODEC_ID = 0x86;
    public static final int CODEC_PRIVATE = 0x63A2;
    public static final int CODEC_DELAY = 0x56AA;
    public static final int SEEK_PRE_ROLL = 0x56BB;
    public static final int DEFAULT_DURATION = 0x23E383;
    public static final int CONTENT_ENCODINGS = 0x6D80;
    public static final int VIDEO = 0xE0;
    public static final int PIXEL_WIDTH = 0xB0;
    public static final int PIXEL_HEIGHT = 0xBA;
    public static final int AUDIO = 0xE1;
    public static final int SAMPLING_FREQUENCY = 0xB5;
    public static final int CHANNELS = 0x9F;
    public static final int CLUSTER = 0x1F43B675;
    public static final int TIMESTAMP = 0xE7;
    public static final int SIMPLE_BLOCK = 0xA3;
    public static final int BLOCK_GROUP = 0xA0;
    public static final int BLOCK = 0xA1;
    public static final int REFERENCE_BLOCK = 0xFB;
    public static final int CUES = 0x1C53BB6B;
    public static final int CUE_POINT = 0xBB;
    public static final int CUE_TIME = 0xB3;
    public static final int CUE_TRACK_POSITIONS = 0xB7;
    public static final int CUE_TRACK = 0xF7;
    public static final int CUE_CLUSTER_POSITION = 0xF1;
    public static final int SEEK = 0x4DBB;
    public static final int SEEK_ID = 0x53AB;
    public static final int SEEK_POSITION = 0x53AC;
    public static final int CHAPTERS = 0x1043A770;
    public static final int TAGS = 0x1254C367;
    public static final int ATTACHMENTS = 0x1941A469;

    /** The size of an element whose size is unknown (a live Segment or Cluster), in its 8-byte form. */
    public static final long UNKNOWN_SIZE_8 = 0x01FF_FFFF_FFFF_FFFFL;

    private Ebml() {
    }

    /** The top-level children of a Segment: one of these ends a Cluster of unknown size (RFC 9559 6.2). */
    public static boolean isSegmentChild(long id) {
        return id == CLUSTER || id == CUES || id == INFO || id == TRACKS || id == SEEK_HEAD || id == TAGS
                || id == CHAPTERS || id == ATTACHMENTS || id == EBML || id == SEGMENT;
    }

    public static void id(ByteBuilder b, int id) {
        int n = (id & 0xFF00_0000) != 0 ? 4 : (id & 0xFF_0000) != 0 ? 3 : (id & 0xFF00) != 0 ? 2 : 1;
        b.be(id, n);
    }

    /** The shortest vint for {@code size} (a size whose value bits would all be set takes one byte more). */
    public static void size(ByteBuilder b, long size) {
        int n = 1;
        while (n < 8 && size >= (1L << (7 * n)) - 1) {
            n++;
        }
        b.be(size | (1L << (7 * n)), n);
    }

    public static void uint(ByteBuilder b, int id, long v) {
        int n = 1;
        while (n < 8 && (v >>> (8 * n)) != 0) {
            n++;
        }
        id(b, id);
        size(b, n);
        b.be(v, n);
    }

    public static void float64(ByteBuilder b, int id, double v) {
        id(b, id);
        size(b, 8);
        b.be(Double.doubleToLongBits(v), 8);
    }

    public static void string(ByteBuilder b, int id, String s) {
        id(b, id);
        size(b, s.length());
        b.ascii(s);
    }

    public static void binary(ByteBuilder b, int id, byte[] data) {
        id(b, id);
        size(b, data.length);
        b.bytes(data);
    }

    public static void master(ByteBuilder b, int id, ByteBuilder children) {
        id(b, id);
        size(b, children.length());
        b.bytes(children.array(), 0, children.length());
    }
}
