package org.rtc4j.rtp.payload;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/**
 * The retransmission payload of RFC 4588 section 4: the original packet's sequence number (OSN), then its payload,
 * sent on the RTX stream with the RTX payload type, SSRC and sequence numbers.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtxPayload {

    /** Bytes the OSN adds to the original payload. */
    public static final int OVERHEAD = 2;

    private RtxPayload() {
    }

    /**
     * Writes the RTX payload for {@code original} (from its position to its limit, left unchanged) into
     * {@code dst} at its position, advancing it.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has less room than the payload plus two bytes
     */
    public static void wrap(int originalSequenceNumber, ByteBuffer original, ByteBuffer dst) {
        dst.putShort((short) originalSequenceNumber);
        dst.put(original.duplicate());
    }

    /** The original sequence number of an RTX payload. */
    public static int originalSequenceNumber(ByteBuffer rtx) throws ParseException {
        check(rtx);
        return rtx.getShort(rtx.position()) & 0xFFFF;
    }

    /**
     * The original payload inside an RTX payload, a view without a copy. An RTX packet with no payload at all is
     * padding (bandwidth probing) and has no OSN: that is a ParseException, to be dropped.
     */
    public static ByteBuffer originalPayload(ByteBuffer rtx) throws ParseException {
        check(rtx);
        return rtx.slice(rtx.position() + OVERHEAD, rtx.remaining() - OVERHEAD);
    }

    private static void check(ByteBuffer rtx) throws ParseException {
        if (rtx.remaining() < OVERHEAD) {
            throw new ParseException("RTX payload of " + rtx.remaining() + " bytes has no OSN");
        }
    }
}
