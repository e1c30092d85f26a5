package org.rtc4j.rtp.payload.internal;

import org.rtc4j.rtp.Codec;

/**
 * G.711 µ-law and A-law, RFC 3551 section 4.5.14: one byte per 8 kHz sample, the payload holds the samples of one
 * packet interval as they are (any whole number of samples is valid).
 */
public final class G711Format {

    private G711Format() {
    }

    /** Packetizer and depacketizer in one (the format has no state); {@code codec} is PCMU or PCMA. */
    public static WholeFramePayload of(Codec codec) {
        if (codec != Codec.PCMU && codec != Codec.PCMA) {
            throw new IllegalArgumentException("not G.711: " + codec);
        }
        return new WholeFramePayload(codec, payload -> { });
    }
}
