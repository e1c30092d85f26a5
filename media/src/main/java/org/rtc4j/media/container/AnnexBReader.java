package org.rtc4j.media.container;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.rtc4j.media.container.internal.ByteBuilder;
import org.rtc4j.media.container.internal.Input;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Reads an H.264 elementary stream in Annex B form (a .h264 file: NAL units after 0x000001 start codes) as access
 * units. H.264 7.4.1.2.3: a new access unit begins at an access unit delimiter, or at an SEI, SPS or PPS, or at
 * the first slice of a picture (first_mb_in_slice = 0), after the previous unit's slices. A unit holding an IDR
 * slice is a key frame. The stream has no timestamps: unit n gets n / framesPerSecond (in decode order).
 */
public final class AnnexBReader implements EncodedReader {

    /** The largest NAL unit accepted. */
    public static final int MAX_NAL_SIZE = 16 << 20;

    private static final int READ_SIZE = 64 * 1024;

    private final Input in;
    private final int framesPerSecond;
    private final ContainerTrack track = ContainerTrack.video(Codec.H264, 0, 0);
    private byte[] buf = new byte[READ_SIZE * 2];
    private int start; // the first unconsumed byte: a NAL unit's start code, once one was found
    private int end;
    private boolean eof;
    private final ByteBuilder unit = new ByteBuilder(READ_SIZE);
    private boolean unitHasSlice;
    private boolean unitIsKey;
    private long count;

    public AnnexBReader(InputStream stream, int framesPerSecond) throws IOException {
        if (framesPerSecond <= 0) {
            throw new IllegalArgumentException("frames per second " + framesPerSecond);
        }
        this.in = new Input(stream);
        this.framesPerSecond = framesPerSecond;
        fill();
        int first = findStartCode(0);
        if (first < 0 || first > 64) {
            throw in.error("not an H.264 Annex B stream (no start code at its beginning)");
        }
        start = first;
    }

    @Override
    public List<ContainerTrack> tracks() {
        return List.of(track);
    }

    /** Position of the next 00 00 01 at or after {@code from} in the buffer, or -1. */
    private int findStartCode(int from) {
        for (int i = from; i + 2 < end; i++) {
            if ((buf[i + 2] & 0xFF) > 1) {
                i += 2; // 00 00 01 cannot end before i + 3
            } else if (buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1) {
                return i;
            }
        }
        return -1;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (buf.length - end < READ_SIZE) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.readUpTo(buf, end, READ_SIZE);
        end += n;
        eof = n < READ_SIZE;
    }

    @Override
    public TrackFrame read() throws IOException {
        while (true) {
            if (start >= end) {
                return finishUnit();
            }
            // buf[start..] begins with a start code: find where the NAL unit after it ends.
            int payload = start + 3;
            int next = findStartCode(payload);
            while (next < 0 && !eof) {
                if (end - start > MAX_NAL_SIZE) {
                    throw in.error("H.264 NAL unit longer than " + MAX_NAL_SIZE + " bytes");
                }
                int scanned = end - start;
                fill();
                payload = start + 3;
                next = findStartCode(Math.max(payload, start + scanned - 2));
            }
            int nalEnd = next < 0 ? end : next;
            int trimmed = nalEnd;
            while (trimmed > payload && buf[trimmed - 1] == 0) {
                trimmed--;
            }
            TrackFrame done = null;
            if (trimmed > payload) {
                int type = buf[payload] & 0x1F;
                boolean slice = type == 1 || type == 5;
                boolean firstSlice = slice && trimmed > payload + 1 && (buf[payload + 1] & 0x80) != 0;
                boolean opensUnit = type == 9 || type == 6 || type == 7 || type == 8 || (type >= 14 && type <= 18)
                        || firstSlice;
                if (unitHasSlice && opensUnit) {
                    done = finishUnit();
                }
                unit.u8(0).u8(0).u8(0).u8(1).bytes(buf, payload, trimmed - payload);
                unitHasSlice |= slice;
                unitIsKey |= type == 5;
            }
            start = nalEnd;
            if (done != null) {
                return done;
            }
        }
    }

    private TrackFrame finishUnit() {
        if (unit.length() == 0) {
            return null;
        }
        long ts = (count++ * Codec.H264.clockRate() / framesPerSecond) & 0xFFFF_FFFFL;
        EncodedFrame frame = new EncodedFrame(Codec.H264, unit.toByteArray(), ts, unitIsKey);
        unit.reset();
        unitHasSlice = false;
        unitIsKey = false;
        return new TrackFrame(0, frame);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
