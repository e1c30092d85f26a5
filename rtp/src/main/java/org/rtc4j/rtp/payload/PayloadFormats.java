package org.rtc4j.rtp.payload;

import org.rtc4j.rtp.Codec;

/** The packetizer and depacketizer of each codec's RTP payload format. */
public final class PayloadFormats {

    private PayloadFormats() {
    }

    /** A new packetizer for one outgoing stream of {@code codec}, with the format's default options. */
    public static Packetizer packetizer(Codec codec) {
        throw new IllegalArgumentException("no payload format yet for " + codec);
    }

    /** A new depacketizer for one incoming stream of {@code codec}. */
    public static Depacketizer depacketizer(Codec codec) {
        throw new IllegalArgumentException("no payload format yet for " + codec);
    }
}
