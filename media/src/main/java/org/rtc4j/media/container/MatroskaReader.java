package org.rtc4j.media.container;

import static org.rtc4j.media.container.internal.Ebml.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rtc4j.media.container.internal.AnnexB;
import org.rtc4j.media.container.internal.Ebml;
import org.rtc4j.media.container.internal.Input;
import org.rtc4j.media.container.internal.OpusToc;
import org.rtc4j.media.container.internal.TrackClocks;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Reads WebM and Matroska (RFC 9559) in one pass, without seeking: the EBML header, then the Segment's Info and
 * Tracks, then Clusters of SimpleBlocks and BlockGroups, with Xiph, EBML and fixed-size lacing (RFC 9559 10.3).
 * Segments and Clusters of unknown size (live recordings, browsers' MediaRecorder) end where the next
 * top-level element begins. Opus, VP8, VP9, AV1 and H.264 tracks are read (H.264 as Annex B, with SPS and PPS
 * from the avcC CodecPrivate put before key frames, or as stored when a track has no avcC and its blocks
 * carry start codes, as Chromium's MediaRecorder writes them); blocks of other tracks are skipped.
 */
public final class MatroskaReader implements EncodedReader {

    /** The largest element payload read into memory (a block, a CodecPrivate). */
    public static final int MAX_ELEMENT_SIZE = 16 << 20;

    private static final long UNKNOWN = -1;

    private final Input in;
    private final String docType;
    private final List<ContainerTrack> tracks = new ArrayList<>();
    private final Map<Long, TrackState> byNumber = new HashMap<>();
    private final ArrayDeque<TrackFrame> pending = new ArrayDeque<>();
    private final int[] laceSizes = new int[256];
    private long timestampScale = 1_000_000;
    private long segmentEnd;
    private boolean inCluster;
    private long clusterEnd;
    private long clusterTime;
    private boolean done;

    /** What a block of one track needs for its frames to be converted. */
    private static final class TrackState {
        int index;
        Codec codec;
        int lengthSize; // 0: no avcC, blocks in Annex B
        byte[] parameterSets = new byte[0];
        long defaultDuration;
        long codecDelay;
    }

    public MatroskaReader(InputStream stream) throws IOException {
        in = new Input(stream);
        if (in.be(4) != EBML) {
            throw in.error("not a WebM or Matroska file (no EBML header)");
        }
        long headerEnd = childEnd(readSize(), Long.MAX_VALUE);
        String type = null;
        while (in.position() < headerEnd) {
            int id = readId();
            long size = checked(readSize(), headerEnd);
            switch (id) {
                case DOC_TYPE -> type = string(size);
                case EBML_MAX_ID_LENGTH -> require(uint(size) <= 4, "EBMLMaxIDLength above 4");
                case EBML_MAX_SIZE_LENGTH -> require(uint(size) <= 8, "EBMLMaxSizeLength above 8");
                default -> in.skip(size);
            }
        }
        if (!"webm".equals(type) && !"matroska".equals(type)) {
            throw in.error("EBML document type " + type + " is not webm or matroska");
        }
        docType = type;
        while (true) {
            int id = readId();
            long size = readSize();
            if (id == SEGMENT) {
                segmentEnd = size == UNKNOWN ? Long.MAX_VALUE : in.position() + size;
                break;
            }
            in.skip(checked(size, Long.MAX_VALUE)); // Void or CRC-32 before the Segment
        }
        while (!inCluster && !done) {
            int id = readIdOrEnd();
            if (id < 0 || in.position() >= segmentEnd) {
                done = true;
                break;
            }
            topLevel(id, readSize());
        }
        if (byNumber.isEmpty() && tracks.isEmpty()) {
            throw in.error("no Tracks element before the first Cluster");
        }
    }

    /** "webm" or "matroska". */
    public String docType() {
        return docType;
    }

    @Override
    public List<ContainerTrack> tracks() {
        return List.copyOf(tracks);
    }

    @Override
    public TrackFrame read() throws IOException {
        while (pending.isEmpty()) {
            if (done) {
                return null;
            }
            if (!inCluster) {
                int id = readIdOrEnd();
                if (id < 0 || in.position() >= segmentEnd) {
                    done = true;
                    return null;
                }
                topLevel(id, readSize());
                continue;
            }
            if (in.position() >= clusterEnd) {
                inCluster = false;
                continue;
            }
            int id = readIdOrEnd();
            if (id < 0) {
                if (clusterEnd != Long.MAX_VALUE) {
                    throw in.truncated();
                }
                done = true;
                return null;
            }
            long size = readSize();
            if (isSegmentChild(id)) {
                if (clusterEnd != Long.MAX_VALUE) {
                    throw in.error("top-level element inside a Cluster of known size");
                }
                inCluster = false;
                topLevel(id, size);
                continue;
            }
            size = checked(size, clusterEnd);
            switch (id) {
                case TIMESTAMP -> clusterTime = uint(size);
                case SIMPLE_BLOCK -> block(binary(size), true, false);
                case BLOCK_GROUP -> blockGroup(in.position() + size);
                default -> in.skip(size);
            }
        }
        return pending.poll();
    }

    /** A child of the Segment: Info and Tracks are read, a Cluster entered, anything else skipped. */
    private void topLevel(int id, long size) throws IOException {
        if (id == CLUSTER) {
            inCluster = true;
            clusterEnd = size == UNKNOWN ? Long.MAX_VALUE : childEnd(size, segmentEnd);
            clusterTime = 0;
            return;
        }
        if (id == EBML || id == SEGMENT) {
            done = true; // a chained segment: only the first is read
            return;
        }
        long end = childEnd(checked(size, segmentEnd), segmentEnd);
        switch (id) {
            case INFO -> {
                while (in.position() < end) {
                    int child = readId();
                    long s = checked(readSize(), end);
                    if (child == TIMESTAMP_SCALE) {
                        timestampScale = uint(s);
                        require(timestampScale > 0 && timestampScale <= 1_000_000_000L, "TimestampScale "
                                + timestampScale);
                    } else {
                        in.skip(s);
                    }
                }
            }
            case TRACKS -> {
                while (in.position() < end) {
                    int child = readId();
                    long s = checked(readSize(), end);
                    if (child == TRACK_ENTRY) {
                        trackEntry(in.position() + s);
                    } else {
                        in.skip(s);
                    }
                }
            }
            default -> in.skip(size);
        }
    }

    private void trackEntry(long end) throws IOException {
        long number = 0;
        String codecId = "";
        byte[] codecPrivate = null;
        long defaultDuration = 0;
        long codecDelay = 0;
        long width = 0;
        long height = 0;
        double rate = 0;
        long channels = 0;
        boolean encoded = false;
        while (in.position() < end) {
            int id = readId();
            long size = checked(readSize(), end);
            switch (id) {
                case TRACK_NUMBER -> number = uint(size);
                case CODEC_ID -> codecId = string(size);
                case CODEC_PRIVATE -> codecPrivate = binary(size);
                case DEFAULT_DURATION -> defaultDuration = uint(size);
                case CODEC_DELAY -> codecDelay = Math.min(uint(size), 1_000_000_000L);
                case CONTENT_ENCODINGS -> {
                    encoded = true;
                    in.skip(size);
                }
                case VIDEO, AUDIO -> {
                    long e = in.position() + size;
                    while (in.position() < e) {
                        int c = readId();
                        long s = checked(readSize(), e);
                        switch (c) {
                            case PIXEL_WIDTH -> width = uint(s);
                            case PIXEL_HEIGHT -> height = uint(s);
                            case CHANNELS -> channels = uint(s);
                            case SAMPLING_FREQUENCY -> rate = floatValue(s);
                            default -> in.skip(s);
                        }
                    }
                }
                default -> in.skip(size);
            }
        }
        Codec codec = switch (codecId) {
            case "A_OPUS" -> Codec.OPUS;
            case "V_VP8" -> Codec.VP8;
            case "V_VP9" -> Codec.VP9;
            case "V_AV1" -> Codec.AV1;
            case "V_MPEG4/ISO/AVC" -> Codec.H264;
            default -> null;
        };
        if (codec == null || encoded || number == 0 || byNumber.containsKey(number)) {
            return; // a codec we do not read, compressed or encrypted blocks, or a duplicate: skipped
        }
        TrackState t = new TrackState();
        t.index = tracks.size();
        t.codec = codec;
        t.defaultDuration = defaultDuration;
        t.codecDelay = Math.max(0, codecDelay);
        int preSkip = 0;
        if (codec == Codec.H264 && codecPrivate != null) {
            AnnexB.Config config = AnnexB.parseAvcC(codecPrivate);
            t.lengthSize = config.lengthSize();
            t.parameterSets = config.parameterSets();
        } else if (codec == Codec.OPUS && codecPrivate != null && codecPrivate.length >= 19) {
            preSkip = (codecPrivate[10] & 0xFF) | (codecPrivate[11] & 0xFF) << 8;
        }
        ContainerTrack track = codec.isVideo()
                ? ContainerTrack.video(codec, (int) Math.min(width, 65535), (int) Math.min(height, 65535))
                : new ContainerTrack(codec, 0, 0, rate >= 1 && rate <= 768_000 ? (int) rate : 48_000,
                        (int) Math.min(Math.max(channels, 1), 255), preSkip);
        tracks.add(track);
        byNumber.put(number, t);
    }

    private void blockGroup(long end) throws IOException {
        byte[] block = null;
        boolean referenced = false;
        while (in.position() < end) {
            int id = readId();
            long size = checked(readSize(), end);
            switch (id) {
                case BLOCK -> block = binary(size);
                case REFERENCE_BLOCK -> {
                    referenced = true;
                    in.skip(size);
                }
                default -> in.skip(size);
            }
        }
        if (block != null) {
            block(block, false, !referenced);
        }
    }

    /**
     * A Block or SimpleBlock (RFC 9559 10.1, 10.2): track number (vint) | relative timestamp i16 | flags | frames,
     * laced (10.3) when the flags' bits 1-2 say so.
     */
    private void block(byte[] b, boolean simple, boolean groupKey) throws IOException {
        int first = b.length > 0 ? b[0] & 0xFF : 0;
        int n = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || n > 8 || b.length < n + 3) {
            throw in.error("malformed block header");
        }
        long number = first & (0xFF >>> n);
        for (int i = 1; i < n; i++) {
            number = (number << 8) | (b[i] & 0xFF);
        }
        TrackState t = byNumber.get(number);
        if (t == null) {
            return;
        }
        int rel = (short) (((b[n] & 0xFF) << 8) | (b[n + 1] & 0xFF));
        int flags = b[n + 2] & 0xFF;
        int p = n + 3;
        int count = 1;
        int lacing = (flags >>> 1) & 3;
        if (lacing == 0) {
            laceSizes[0] = b.length - p;
        } else {
            require(p < b.length, "laced block without a frame count");
            count = (b[p++] & 0xFF) + 1;
            p = laceSizes(b, p, lacing, count);
        }
        boolean key = !t.codec.isVideo() || (simple ? (flags & 0x80) != 0 : groupKey);
        // RFC 9559 (CodecDelay): block times include the codec's delay; a frame's own time, as ffmpeg gives it,
        // is that much earlier.
        long nanos = TrackClocks.rescale(clusterTime + rel, timestampScale, 1) - t.codecDelay;
        for (int i = 0; i < count; i++) {
            byte[] data = java.util.Arrays.copyOfRange(b, p, p + laceSizes[i]);
            p += laceSizes[i];
            if (t.codec == Codec.H264) {
                // Without an avcC, blocks hold Annex B as they are (Chromium's MediaRecorder writes them so).
                if (t.lengthSize > 0) {
                    data = AnnexB.fromLengthPrefixed(data, t.lengthSize, t.parameterSets, key);
                } else if (!AnnexB.startsWithStartCode(data)) {
                    throw in.error("H.264 block with neither an avcC record nor start codes");
                }
            }
            long ts = TrackClocks.nanosToTicks(nanos, t.codec.clockRate()) & 0xFFFF_FFFFL;
            pending.add(new TrackFrame(t.index, new EncodedFrame(t.codec, data, ts, key)));
            // Laced frames after the first: the track's default duration, or an Opus packet's own length.
            nanos += t.defaultDuration > 0 ? t.defaultDuration
                    : t.codec == Codec.OPUS ? Math.max(0, OpusToc.samples(data)) * 1_000_000_000L / 48_000 : 0;
        }
    }

    /** Fills {@link #laceSizes} for {@code count} frames; returns where the first frame starts. */
    private int laceSizes(byte[] b, int p, int lacing, int count) throws IOException {
        long total = 0;
        if (lacing == 2) { // fixed-size
            int rest = b.length - p;
            require(rest % count == 0, "fixed-size lacing of " + rest + " bytes into " + count + " frames");
            java.util.Arrays.fill(laceSizes, 0, count, rest / count);
            return p;
        }
        for (int i = 0; i < count - 1; i++) {
            long size;
            if (lacing == 1) { // Xiph: 255s then the last byte
                size = 0;
                int v;
                do {
                    require(p < b.length, "Xiph lace sizes past the block's end");
                    v = b[p++] & 0xFF;
                    size += v;
                } while (v == 255);
            } else { // EBML: a vint, then signed differences
                require(p < b.length, "EBML lace sizes past the block's end");
                int first = b[p] & 0xFF;
                int len = Integer.numberOfLeadingZeros(first) - 23;
                require(first != 0 && len <= 8 && p + len <= b.length, "malformed EBML lace size");
                long v = first & (0xFF >>> len);
                for (int k = 1; k < len; k++) {
                    v = (v << 8) | (b[p + k] & 0xFF);
                }
                p += len;
                size = i == 0 ? v : laceSizes[i - 1] + v - ((1L << (7 * len - 1)) - 1);
            }
            require(size >= 0 && size <= b.length, "lace size " + size);
            laceSizes[i] = (int) size;
            total += size;
        }
        long last = b.length - p - total;
        require(last >= 0, "laced frames longer than their block");
        laceSizes[count - 1] = (int) last;
        return p;
    }

    private static void require(boolean ok, String what) throws ContainerFormatException {
        if (!ok) {
            throw new ContainerFormatException(what);
        }
    }

    private int readIdOrEnd() throws IOException {
        int first = in.readOrEnd();
        return first < 0 ? -1 : idRest(first);
    }

    private int readId() throws IOException {
        return idRest(in.u8());
    }

    /** RFC 8794 5: 1 to 4 bytes, the length marked by the first set bit. */
    private int idRest(int first) throws IOException {
        int n = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0 || first == 0xFF || n > 4) {
            throw in.error("invalid EBML element ID");
        }
        int id = first;
        for (int i = 1; i < n; i++) {
            id = (id << 8) | in.u8();
        }
        return id;
    }

    /** RFC 8794 6: the size, or {@link #UNKNOWN} when all its value bits are set. */
    private long readSize() throws IOException {
        int first = in.u8();
        int n = Integer.numberOfLeadingZeros(first) - 23;
        if (first == 0) {
            throw in.error("invalid EBML element size");
        }
        long v = first & (0xFF >>> n);
        boolean allOnes = v == (0xFF >>> n);
        for (int i = 1; i < n; i++) {
            int b = in.u8();
            allOnes &= b == 0xFF;
            v = (v << 8) | b;
        }
        return allOnes ? UNKNOWN : v;
    }

    /** A known size that fits in its parent. */
    private long checked(long size, long parentEnd) throws ContainerFormatException {
        if (size == UNKNOWN) {
            throw in.error("unknown size on an element other than Segment or Cluster");
        }
        if (parentEnd != Long.MAX_VALUE && size > parentEnd - in.position()) {
            throw in.error("element of " + size + " bytes overruns its parent");
        }
        return size;
    }

    private long childEnd(long size, long parentEnd) throws ContainerFormatException {
        return in.position() + checked(size, parentEnd);
    }

    private long uint(long size) throws IOException {
        require(size <= 8, "integer element of " + size + " bytes");
        return in.be((int) size);
    }

    private double floatValue(long size) throws IOException {
        if (size == 4) {
            return Float.intBitsToFloat((int) in.be(4));
        }
        require(size == 8 || size == 0, "float element of " + size + " bytes");
        return size == 0 ? 0 : Double.longBitsToDouble(in.be(8));
    }

    private String string(long size) throws IOException {
        require(size <= 1024, "string element of " + size + " bytes");
        String s = new String(in.bytes((int) size), StandardCharsets.UTF_8);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    private byte[] binary(long size) throws IOException {
        if (size > MAX_ELEMENT_SIZE) {
            throw in.error("element of " + size + " bytes (cap " + MAX_ELEMENT_SIZE + ")");
        }
        return in.bytes((int) size);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
