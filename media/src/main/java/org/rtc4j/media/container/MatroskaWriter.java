package org.rtc4j.media.container;

import static org.rtc4j.media.container.internal.Ebml.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.rtc4j.media.container.internal.Av1;
import org.rtc4j.media.container.internal.AnnexB;
import org.rtc4j.media.container.internal.ByteBuilder;
import org.rtc4j.media.container.internal.Ebml;
import org.rtc4j.media.container.internal.OpusToc;
import org.rtc4j.media.container.internal.Output;
import org.rtc4j.media.container.internal.TrackClocks;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Records into WebM (Opus, VP8, VP9, AV1) or Matroska (the same and H.264), live as browsers' MediaRecorder
 * does: a Segment and Clusters of unknown size (RFC 9559 6.2), each SimpleBlock written whole as it arrives, a
 * new Cluster at each video key frame or after {@link #MAX_CLUSTER_NANOS}. A killed recorder leaves a file that
 * plays up to its last whole block. Where the file is seekable, each Cluster's size is filled in when the next
 * begins, and close fills in the Segment's size and the Duration.
 *
 * <p>The header waits for the first key frame of each H.264 and AV1 track (their CodecPrivate, avcC or av1C,
 * comes from its SPS/PPS or sequence header); video frames before a track's first key frame are dropped, since
 * nothing could decode them.
 *
 * <p>Each track's block times keep their order as demuxers require (ffmpeg rejects a stream whose times repeat,
 * step back, or whose audio overlaps): a video frame at or before its track's last block is written 1 ms after
 * it, an Opus packet that would begin before the last one ends is written where that one ends, and {@link
 * #retimed()} counts them. Every other block keeps its own time, so frames that came close together or out of
 * order do not shift the frames after them.
 */
public final class MatroskaWriter implements EncodedWriter {

    /** The longest Cluster. */
    public static final long MAX_CLUSTER_NANOS = 1_000_000_000L;

    /** SeekHead { Seek x 3 } with 4-byte IDs and 8-byte positions: 5 + 3 x 21 bytes. */
    private static final int SEEK_HEAD_ROOM = 68;

    /** CuePoints kept for the Cues (about 20 bytes each: a day of one-second Clusters is 1.7 MB). */
    private static final int MAX_CUES_BYTES = 4 << 20;

    /** Frames held while the header waits for a key frame; older ones are dropped beyond this. */
    private static final int MAX_HELD = 1000;

    private static final Set<Codec> WEBM = Set.of(Codec.OPUS, Codec.VP8, Codec.VP9, Codec.AV1);

    private final Output out;
    private final boolean webm;
    private final List<ContainerTrack> tracks;
    private final TrackClocks clocks;
    private final byte[][] codecPrivate;
    private final boolean[] started;
    private final long[] lastMillis;
    private final long[] lastStep;
    /** The earliest time of each track's next block: 1 ms after a video frame, the end of an Opus packet. */
    private final long[] nextMillis;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final ByteBuilder block = new ByteBuilder(64 * 1024);
    private boolean headerWritten;
    private long segmentDataStart;
    private long seekHeadAt;
    private long infoAt;
    private long tracksAt;
    private final ByteBuilder cuePoints = new ByteBuilder(1024);
    private final boolean hasVideo;
    private long durationAt;
    private long clusterStart = -1; // file offset of the open Cluster's ID
    private long clusterMillis;
    private long dropped;
    private long retimed;

    /** A frame that arrived before the header could be written. */
    private record Held(int track, EncodedFrame frame, long nanos) {
    }

    private MatroskaWriter(Output out, boolean webm, List<ContainerTrack> tracks) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no tracks");
        }
        for (ContainerTrack t : tracks) {
            if (webm && !WEBM.contains(t.codec())) {
                throw new IllegalArgumentException("WebM holds Opus, VP8, VP9 and AV1, not " + t.codec()
                        + (t.codec() == Codec.H264 ? ": record H.264 into Matroska" : ""));
            }
            if (!WEBM.contains(t.codec()) && t.codec() != Codec.H264) {
                throw new IllegalArgumentException("Matroska recording of " + t.codec() + " is not supported");
            }
        }
        this.out = out;
        this.webm = webm;
        this.tracks = List.copyOf(tracks);
        this.clocks = new TrackClocks(tracks);
        this.codecPrivate = new byte[tracks.size()][];
        this.started = new boolean[tracks.size()];
        this.lastMillis = new long[tracks.size()];
        this.lastStep = new long[tracks.size()];
        this.nextMillis = new long[tracks.size()];
        Arrays.fill(lastMillis, -1); // no block yet
        this.hasVideo = tracks.stream().anyMatch(t -> t.codec().isVideo());
    }

    /** A WebM recording into a file (seekable: sizes and duration completed). */
    public static MatroskaWriter createWebm(Path file, List<ContainerTrack> tracks) throws IOException {
        return Output.create(file, out -> new MatroskaWriter(out, true, tracks));
    }

    /** A Matroska recording into a file (seekable: sizes and duration completed). */
    public static MatroskaWriter createMatroska(Path file, List<ContainerTrack> tracks) throws IOException {
        return Output.create(file, out -> new MatroskaWriter(out, false, tracks));
    }

    /** A live recording into any stream: sizes stay unknown and there is no duration. */
    public MatroskaWriter(OutputStream stream, boolean webm, List<ContainerTrack> tracks) {
        this(Output.of(stream), webm, tracks);
    }

    /** Video frames dropped before their track's first key frame, or while the header waited too long. */
    public long dropped() {
        return dropped;
    }

    /** Frames written later than their time to keep their track's block times in order (see above). */
    public long retimed() {
        return retimed;
    }

    @Override
    public void write(int track, EncodedFrame frame) throws IOException {
        checkTrack(track, frame);
        write(track, frame, clocks.nanos(track, frame));
    }

    private void checkTrack(int track, EncodedFrame frame) {
        if (track < 0 || track >= tracks.size() || tracks.get(track).codec() != frame.codec()) {
            throw new IllegalArgumentException("track " + track + " does not take " + frame.codec());
        }
    }

    @Override
    public void write(int track, EncodedFrame frame, long timeNanos) throws IOException {
        checkTrack(track, frame);
        Codec codec = frame.codec();
        if (!started[track]) {
            if (codec.isVideo() && !frame.keyFrame()) {
                dropped++;
                return;
            }
            started[track] = true;
            if (codec == Codec.H264) {
                codecPrivate[track] = AnnexB.avcC(frame.data());
            } else if (codec == Codec.AV1) {
                codecPrivate[track] = Av1.codecConfiguration(frame.data());
            }
        }
        if (!headerWritten) {
            held.add(new Held(track, frame, timeNanos));
            if (held.size() > MAX_HELD) {
                held.poll();
                dropped++;
            }
            for (int i = 0; i < tracks.size(); i++) {
                if (!started[i] && tracks.get(i).codec().isVideo()) {
                    return;
                }
            }
            writeHeader();
            while (!held.isEmpty()) {
                Held h = held.poll();
                writeBlock(h.track, h.frame, h.nanos);
            }
            return;
        }
        writeBlock(track, frame, timeNanos);
    }

    private void writeHeader() throws IOException {
        ByteBuilder b = new ByteBuilder(1024);
        ByteBuilder c = new ByteBuilder(256);
        uint(c, EBML_VERSION, 1);
        uint(c, EBML_READ_VERSION, 1);
        uint(c, EBML_MAX_ID_LENGTH, 4);
        uint(c, EBML_MAX_SIZE_LENGTH, 8);
        string(c, DOC_TYPE, webm ? "webm" : "matroska");
        uint(c, DOC_TYPE_VERSION, 4);
        uint(c, DOC_TYPE_READ_VERSION, 2);
        master(b, EBML, c);
        id(b, SEGMENT);
        b.be(UNKNOWN_SIZE_8, 8);
        segmentDataStart = b.length();
        seekHeadAt = b.length();
        id(b, VOID); // room for the SeekHead, written on close when the Cues are known
        size(b, SEEK_HEAD_ROOM - 2);
        for (int i = 2; i < SEEK_HEAD_ROOM; i++) {
            b.u8(0);
        }
        infoAt = b.length() - segmentDataStart;
        c.reset();
        uint(c, TIMESTAMP_SCALE, 1_000_000);
        string(c, MUXING_APP, "rtc4j");
        string(c, WRITING_APP, "rtc4j");
        int voidAt = c.length();
        id(c, VOID); // room for the Duration (float64: 11 bytes in all), filled in on close
        size(c, 9);
        c.be(0, 8).u8(0);
        master(b, INFO, c);
        durationAt = b.length() - (c.length() - voidAt);
        c.reset();
        ByteBuilder entry = new ByteBuilder(256);
        ByteBuilder sub = new ByteBuilder(64);
        for (int i = 0; i < tracks.size(); i++) {
            ContainerTrack t = tracks.get(i);
            entry.reset();
            uint(entry, TRACK_NUMBER, i + 1);
            uint(entry, TRACK_UID, i + 1);
            uint(entry, TRACK_TYPE, t.codec().isVideo() ? 1 : 2);
            string(entry, CODEC_ID, switch (t.codec()) {
                case OPUS -> "A_OPUS";
                case VP8 -> "V_VP8";
                case VP9 -> "V_VP9";
                case AV1 -> "V_AV1";
                default -> "V_MPEG4/ISO/AVC";
            });
            sub.reset();
            if (t.codec() == Codec.OPUS) {
                // RFC 7845 5.1's ID header as CodecPrivate; CodecDelay is the pre-skip (WebM's Opus mapping).
                ByteBuilder head = new ByteBuilder(19).ascii("OpusHead").u8(1).u8(t.channels()).le(t.preSkip(), 2)
                        .le(t.sampleRate() == 0 ? 48_000 : t.sampleRate(), 4).le(0, 2).u8(0);
                binary(entry, CODEC_PRIVATE, head.toByteArray());
                uint(entry, CODEC_DELAY, t.preSkip() * 1_000_000_000L / 48_000);
                uint(entry, SEEK_PRE_ROLL, 80_000_000L);
                float64(sub, SAMPLING_FREQUENCY, 48_000);
                uint(sub, CHANNELS, t.channels());
                master(entry, AUDIO, sub);
            } else {
                if (codecPrivate[i] != null) {
                    binary(entry, CODEC_PRIVATE, codecPrivate[i]);
                }
                uint(sub, PIXEL_WIDTH, t.width());
                uint(sub, PIXEL_HEIGHT, t.height());
                master(entry, VIDEO, sub);
            }
            master(c, TRACK_ENTRY, entry);
        }
        tracksAt = b.length() - segmentDataStart;
        master(b, TRACKS, c);
        out.write(b);
        durationAt += out.position() - b.length();
        seekHeadAt += out.position() - b.length();
        segmentDataStart += out.position() - b.length();
        headerWritten = true;
    }

    private void writeBlock(int track, EncodedFrame frame, long frameNanos) throws IOException {
        // Block times include the CodecDelay written in the track entry (the reader's counterpart subtracts it).
        long timeNanos = frameNanos + tracks.get(track).preSkip() * 1_000_000_000L / 48_000;
        long millis = Math.max(0, Math.floorDiv(timeNanos + 500_000, 1_000_000));
        if (millis < nextMillis[track]) {
            millis = nextMillis[track];
            retimed++;
        }
        nextMillis[track] = millis // 1 ms on for video; for Opus, where the packet ends (48 kHz samples)
                + (frame.codec().isVideo() ? 1 : Math.max(0, OpusToc.samples(frame.data())) / 48);
        boolean videoKey = frame.codec().isVideo() && frame.keyFrame();
        long rel = millis - clusterMillis;
        if (clusterStart < 0 || rel < Short.MIN_VALUE || rel > Short.MAX_VALUE || (videoKey && rel > 0)
                || rel * 1_000_000 >= MAX_CLUSTER_NANOS) {
            startCluster(millis, videoKey || !hasVideo ? track : -1);
            rel = 0;
        }
        byte[] data = switch (frame.codec()) {
            case H264 -> AnnexB.toLengthPrefixed(frame.data());
            case AV1 -> Av1.withoutTemporalDelimiters(frame.data());
            default -> frame.data();
        };
        block.reset();
        id(block, SIMPLE_BLOCK);
        size(block, data.length + 4);
        block.u8(0x80 | (track + 1)).be(rel, 2).u8(frame.keyFrame() ? 0x80 : 0).bytes(data);
        out.write(block); // one write per block: a killed recorder leaves whole blocks before a cut one
        out.flush();
        if (lastMillis[track] >= 0 && millis > lastMillis[track]) {
            lastStep[track] = millis - lastMillis[track];
        }
        lastMillis[track] = millis;
    }

    /** Opens a Cluster; one that starts with a key frame of {@code cueTrack} (unless -1) gets a CuePoint. */
    private void startCluster(long millis, int cueTrack) throws IOException {
        finishCluster();
        clusterStart = out.position();
        if (cueTrack >= 0 && cuePoints.length() < MAX_CUES_BYTES) {
            // RFC 9559 5.1.5: CuePoint { CueTime, CueTrackPositions { CueTrack, CueClusterPosition } }
            ByteBuilder positions = new ByteBuilder(24);
            uint(positions, CUE_TRACK, cueTrack + 1);
            uint(positions, CUE_CLUSTER_POSITION, clusterStart - segmentDataStart);
            ByteBuilder point = new ByteBuilder(32);
            uint(point, CUE_TIME, millis);
            master(point, CUE_TRACK_POSITIONS, positions);
            master(cuePoints, CUE_POINT, point);
        }
        clusterMillis = millis;
        block.reset();
        id(block, CLUSTER);
        block.be(UNKNOWN_SIZE_8, 8);
        uint(block, TIMESTAMP, millis);
        out.write(block);
    }

    /** Fills in the open Cluster's size (its 8-byte size field: 0x01 then seven bytes). */
    private void finishCluster() throws IOException {
        if (clusterStart >= 0 && out.seekable()) {
            long size = out.position() - clusterStart - 12;
            out.patch(clusterStart + 4, new ByteBuilder(8).be(0x0100_0000_0000_0000L | size, 8).toByteArray());
        }
    }

    /** Cues at the end and, in the room kept at the start, a SeekHead that finds them (RFC 9559 5.1.1). */
    private void writeCuesAndSeekHead() throws IOException {
        ByteBuilder seeks = new ByteBuilder(SEEK_HEAD_ROOM);
        seek(seeks, INFO, infoAt);
        seek(seeks, TRACKS, tracksAt);
        if (cuePoints.length() > 0) {
            seek(seeks, CUES, out.position() - segmentDataStart);
            ByteBuilder cues = new ByteBuilder(cuePoints.length() + 16);
            master(cues, CUES, cuePoints);
            out.write(cues);
        }
        ByteBuilder head = new ByteBuilder(SEEK_HEAD_ROOM);
        master(head, SEEK_HEAD, seeks);
        int rest = SEEK_HEAD_ROOM - head.length(); // 0, or 21 without Cues: a Void fills it
        if (rest > 0) {
            id(head, VOID);
            size(head, rest - 2);
            for (int i = 2; i < rest; i++) {
                head.u8(0);
            }
        }
        out.patch(seekHeadAt, head.toByteArray());
    }

    /** Seek { SeekID, SeekPosition }, the position always in 8 bytes so that the SeekHead's size is known. */
    private static void seek(ByteBuilder b, int id, long position) {
        ByteBuilder s = new ByteBuilder(24);
        ByteBuilder idBytes = new ByteBuilder(4);
        Ebml.id(idBytes, id);
        binary(s, SEEK_ID, idBytes.toByteArray());
        Ebml.id(s, SEEK_POSITION);
        size(s, 8);
        s.be(position, 8);
        master(b, SEEK, s);
    }

    @Override
    public void close() throws IOException {
        if (!headerWritten) {
            writeHeader(); // tracks that never got a key frame: an empty but valid file
            while (!held.isEmpty()) {
                Held h = held.poll();
                writeBlock(h.track, h.frame, h.nanos);
            }
        }
        if (out.seekable()) {
            finishCluster();
            long end = 0;
            for (int i = 0; i < tracks.size(); i++) {
                if (started[i]) {
                    end = Math.max(end, lastMillis[i] + lastStep[i]);
                }
            }
            ByteBuilder d = new ByteBuilder(11);
            float64(d, DURATION, end);
            out.patch(durationAt, d.toByteArray());
            writeCuesAndSeekHead();
            long segmentSize = out.position() - segmentDataStart;
            out.patch(segmentDataStart - 8, new ByteBuilder(8).be(0x0100_0000_0000_0000L | segmentSize, 8)
                    .toByteArray());
        }
        out.close();
    }
}
