package org.rtc4j.rtp;

import java.nio.ByteBuffer;

/**
 * The transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2): one counter
 * over every packet of the transport, for {@link org.rtc4j.rtp.rtcp.TransportWideFeedback}.
 *
 * <pre>
 *  0                   1                   2
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | L=1   |transport-wide sequence number |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TransportSequenceNumber {

    public static final String URI =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public static final int LENGTH = 2;

    private TransportSequenceNumber() {
    }

    /** The sequence number, or -1 when the element is not 2 bytes. */
    public static int read(ByteBuffer buf, int offset, int length) {
        return length == LENGTH ? buf.getShort(offset) & 0xFFFF : -1;
    }

    public static void write(RtpHeaderWriter writer, int id, int seq) {
        byte[] d = writer.addExtension(id, LENGTH);
        int o = writer.elementOffset();
        d[o] = (byte) (seq >>> 8);
        d[o + 1] = (byte) seq;
    }
}
