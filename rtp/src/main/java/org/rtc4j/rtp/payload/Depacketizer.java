package org.rtc4j.rtp.payload;

import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Reads the RTP payloads of one incoming stream: tells a jitter buffer where frames begin and end and which are
 * key frames, then rebuilds a frame from its packets. One instance per incoming stream; not thread-safe.
 *
 * <p>The payload buffers are read from their position to their limit and never modified (their positions are left
 * as they were). Payloads come from the network: anything malformed gives {@code false} from the predicates or a
 * {@link ParseException} from {@link #depacketize}, never another exception.
 */
public interface Depacketizer {

    /** The codec this depacketizer reads. */
    Codec codec();

    /**
     * Whether this packet begins a frame. Exact where the format marks a frame's first packet (VP8, VP9, audio);
     * for H.264, H.265 and AV1, which have no such mark, it says whether the packet <em>can</em> begin a frame
     * (its first unit is a parameter set, delimiter, SEI or a picture's first slice; a sequence header or frame
     * OBU), and several packets of one frame may say so: see {@link #marksFrameStart()}.
     */
    boolean isFrameStart(ByteBuffer payload);

    /**
     * Whether {@link #isFrameStart} is exact, so that a second "start" with the same timestamp means the frame
     * was cut short. When false (H.264, H.265, AV1), a frame is the packets of one timestamp from a packet that
     * can begin it to one that ends it, and a jitter buffer must split frames on the timestamp change only
     * (H.264 and AV1 senders put SPS, PPS and the slices, or a sequence header and the frame, in packets of their
     * own, each of which can begin the frame).
     */
    default boolean marksFrameStart() {
        return true;
    }

    /**
     * Whether this packet ends its frame: the RTP marker bit for video (with the format's own end bit where it
     * has one); for audio every packet is a whole frame.
     */
    boolean isFrameEnd(ByteBuffer payload, boolean marker);

    /** For a packet that begins a frame: whether that frame decodes without earlier frames. */
    boolean isKeyFrame(ByteBuffer payload);

    /**
     * One frame from its packets' payloads in sequence order, all with the same RTP timestamp.
     *
     * @param timestamp the packets' RTP timestamp, 32 bits unsigned
     * @throws ParseException if a payload is malformed or the packets do not make one frame
     */
    EncodedFrame depacketize(List<ByteBuffer> payloads, long timestamp) throws ParseException;
}
