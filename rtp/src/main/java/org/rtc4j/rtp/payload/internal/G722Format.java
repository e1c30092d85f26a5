package org.rtc4j.rtp.payload.internal;

import org.rtc4j.rtp.Codec;

/**
 * G.722, RFC 3551 section 4.5.2: one byte carries two 16 kHz samples (the RTP clock runs at 8 kHz for historical
 * reasons); the payload holds one packet interval of octets as they are.
 */
public final class G722Format {

    private G722Format() {
    }

    /** Packetizer and depacketizer in one (the format has no state). */
    public static WholeFramePayload create() {
        return new WholeFramePayload(Codec.G722, payload -> { });
    }
}
