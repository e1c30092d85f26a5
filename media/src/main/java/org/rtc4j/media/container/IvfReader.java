package org.rtc4j.media.container;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.rtc4j.media.container.internal.Input;
import org.rtc4j.media.container.internal.KeyFrames;
import org.rtc4j.media.container.internal.TrackClocks;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Reads IVF, libvpx's file of VP8, VP9 or AV1 frames (one track). The layout, little-endian:
 * <pre>
 * file header (32 bytes): "DKIF" | version u16 = 0 | header size u16 | fourcc | width u16 | height u16 |
 *                         time base denominator u32 | numerator u32 | frame count u32 | unused u32
 * frame header (12 bytes): frame size u32 | pts u64 (in the time base)     then the frame
 * </pre>
 * Key frames are read from each frame's bitstream, since IVF does not mark them.
 */
public final class IvfReader implements EncodedReader {

    /** The largest frame accepted; a 4K key frame is a few megabytes. */
    public static final int MAX_FRAME_SIZE = 16 << 20;

    private final Input in;
    private final ContainerTrack track;
    private final long timebaseNum;
    private final long timebaseDen;

    public IvfReader(InputStream stream) throws IOException {
        in = new Input(stream);
        if (in.be(4) != 0x444B4946L) { // "DKIF"
            throw in.error("not an IVF file (no DKIF signature)");
        }
        in.le(2); // version
        int headerSize = (int) in.le(2);
        String fourcc = new String(in.bytes(4), java.nio.charset.StandardCharsets.US_ASCII);
        Codec codec = switch (fourcc) {
            case "VP80" -> Codec.VP8;
            case "VP90" -> Codec.VP9;
            case "AV01" -> Codec.AV1;
            default -> throw in.error("IVF codec " + fourcc.replaceAll("[^ -~]", "?") + " is not VP8, VP9 or AV1");
        };
        int width = (int) in.le(2);
        int height = (int) in.le(2);
        timebaseDen = in.le(4);
        timebaseNum = in.le(4);
        if (timebaseDen == 0 || timebaseNum == 0) {
            throw in.error("IVF time base " + timebaseNum + "/" + timebaseDen);
        }
        in.le(4); // frame count, often wrong or zero in recordings cut short
        in.le(4);
        if (headerSize < 32) {
            throw in.error("IVF header size " + headerSize);
        }
        in.skip(headerSize - 32);
        track = ContainerTrack.video(codec, width, height);
    }

    @Override
    public List<ContainerTrack> tracks() {
        return List.of(track);
    }

    @Override
    public TrackFrame read() throws IOException {
        int b0 = in.readOrEnd();
        if (b0 < 0) {
            return null;
        }
        long size = b0 | in.le(3) << 8;
        long pts = in.le(8);
        if (size > MAX_FRAME_SIZE) {
            throw in.error("IVF frame of " + size + " bytes (cap " + MAX_FRAME_SIZE + ")");
        }
        byte[] data = in.bytes((int) size);
        Codec codec = track.codec();
        // pts * num / den seconds, in the codec's clock; modulo 2^32 as RTP timestamps are.
        long ts = TrackClocks.rescale(pts, timebaseNum * codec.clockRate(), timebaseDen) & 0xFFFF_FFFFL;
        return new TrackFrame(0, new EncodedFrame(codec, data, ts, KeyFrames.isKey(codec, data)));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
