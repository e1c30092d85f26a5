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

    /** Whether this packet begins a frame. */
    boolean isFrameStart(ByteBuffer payload);

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
