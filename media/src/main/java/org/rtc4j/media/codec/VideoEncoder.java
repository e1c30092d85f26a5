package org.rtc4j.media.codec;

import org.rtc4j.media.VideoFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Turns raw pictures into encoded frames, whatever the codec: what a sender puts between a camera track and RTP.
 * One encoded frame per picture, its RTP timestamp the picture's time in the 90 kHz clock. Not thread-safe: one
 * thread feeds it (request key frames and change the bit rate from that thread, or between frames).
 */
public interface VideoEncoder {

    Codec codec();

    /**
     * The encoded picture (a key frame when one was requested or the size changed), or {@code null} when the
     * encoder drops the picture to hold the bit rate, as libwebrtc's encoders do when even their coarsest
     * quantiser spends too much: send nothing for it.
     */
    EncodedFrame encode(VideoFrame frame);

    /** Makes the next frame a key frame (RTCP PLI or FIR, RFC 4585 section 6.3.1, RFC 5104 section 3.5.1). */
    void requestKeyFrame();

    /** The bit rate to hold from now on (congestion control, RTCP REMB or TMMBR), bits per second. */
    void setTargetBitrate(int bitsPerSecond);

    int targetBitrate();
}
