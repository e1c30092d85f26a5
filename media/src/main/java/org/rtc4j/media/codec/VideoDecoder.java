package org.rtc4j.media.codec;

import java.util.List;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Turns encoded video frames (in decode order) into raw pictures (in display order), whatever the codec: what a
 * receiver puts between RTP and a renderer, snapshot or analysis. A codec with reordering (H.264 B-frames) holds
 * pictures back until their turn, so one frame in may give none or several out. Output times come from the RTP
 * timestamps (unwrapped, in microseconds from the first frame's). Not thread-safe: one thread feeds it.
 */
public interface VideoDecoder {

    Codec codec();

    /**
     * The pictures ready for display after {@code frame}.
     *
     * @throws IllegalArgumentException for a frame of another codec, a malformed frame or one that cannot be
     *                                  decoded without a key frame first (the message says why); the decoder
     *                                  stays usable and a later key frame resynchronises it
     */
    List<VideoFrame> decode(EncodedFrame frame);

    /** The pictures still held back for reordering, at the end of a stream. */
    List<VideoFrame> flush();
}
