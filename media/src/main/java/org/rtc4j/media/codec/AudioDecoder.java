package org.rtc4j.media.codec;

import org.rtc4j.media.AudioFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Turns encoded audio frames back into raw audio, whatever the codec: what a receiver puts between RTP and a
 * speaker or recorder. Output times come from the RTP timestamps (unwrapped, in microseconds from the first
 * frame's). Not thread-safe: one thread feeds it.
 */
public interface AudioDecoder {

    Codec codec();

    /**
     * The audio of one encoded frame.
     *
     * @throws IllegalArgumentException for a frame of another codec or a malformed one (the message says why);
     *                                  the decoder stays usable
     */
    AudioFrame decode(EncodedFrame frame);

    /**
     * Audio standing in for one lost frame (as long as the last one decoded), just after the last decoded or
     * concealed frame: the codec's loss concealment where it has one, else silence.
     */
    AudioFrame conceal();
}
