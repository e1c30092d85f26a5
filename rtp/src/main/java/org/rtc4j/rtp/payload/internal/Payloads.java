package org.rtc4j.rtp.payload.internal;

import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** Checks shared by the payload formats. */
final class Payloads {

    /**
     * The most packets one frame may have: a 4K key frame at a high rate is a few hundred packets; more is an
     * attacker's way of making a depacketizer work without end.
     */
    static final int MAX_PACKETS_PER_FRAME = 4096;

    private Payloads() {
    }

    static void checkCount(List<ByteBuffer> payloads) throws ParseException {
        if (payloads.isEmpty()) {
            throw new ParseException("no payloads");
        }
        if (payloads.size() > MAX_PACKETS_PER_FRAME) {
            throw new ParseException("frame of " + payloads.size() + " packets");
        }
    }

    static int u8(ByteBuffer b, int i) {
        return b.get(b.position() + i) & 0xFF;
    }

    static int u16(ByteBuffer b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    static void checkFrame(EncodedFrame frame, Codec codec, int maxPayloadSize, int minimum) {
        if (frame.codec() != codec) {
            throw new IllegalArgumentException("a " + frame.codec() + " frame given to the " + codec + " packetizer");
        }
        if (maxPayloadSize < minimum) {
            throw new IllegalArgumentException("maxPayloadSize " + maxPayloadSize + " below " + minimum);
        }
    }
}
