package org.rtc4j.media.container.internal;

import org.rtc4j.rtp.payload.PayloadFormats;

/** The duration of an Opus packet from its TOC byte (RFC 6716 3.1) and frame count (3.2). */
public final class OpusToc {

    private OpusToc() {
    }

    /** The packet's samples per channel at 48 kHz, or -1 when it is no valid Opus packet (RFC 6716 3.4 [R1,R5]). */
    public static int samples(byte[] packet) {
        return PayloadFormats.opusSamples(packet);
    }

    /**
     * A packet that carries no audio and lasts 20 ms (one code-0 frame of length 0, which a decoder conceals:
     * RFC 6716 3.2.1), for filling a gap in a recording; {@code stereo} picks the TOC's s bit.
     */
    public static byte[] silence20ms(boolean stereo) {
        return new byte[] {(byte) ((31 << 3) | (stereo ? 4 : 0))};
    }
}
