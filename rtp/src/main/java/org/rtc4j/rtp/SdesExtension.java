package org.rtc4j.rtp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.rtc4j.core.ParseException;

/**
 * The SDES items carried in a header extension element: the MID (RFC 9143 section 15), the RID and the repaired
 * RID (RFC 8852 section 3). The element's data is the item's text, UTF-8, with no length or terminator.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   |  len  | identifier (len+1 bytes) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class SdesExtension {

    public static final String MID_URI = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String RID_URI = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String REPAIRED_RID_URI = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    /** RFC 8852 section 3.1 and RFC 8843: identifiers are short tokens; longer ones are refused. */
    public static final int MAX_LENGTH = 255;

    private SdesExtension() {
    }

    /** The identifier in the element at {@code offset}, {@code length} bytes. */
    public static String read(ByteBuffer buf, int offset, int length) throws ParseException {
        if (length < 1 || length > MAX_LENGTH) {
            throw new ParseException("SDES identifier of " + length + " bytes");
        }
        byte[] b = new byte[length];
        buf.get(offset, b);
        // Some senders pad the item with zeros inside the element: they end it.
        int n = 0;
        while (n < length && b[n] != 0) {
            n++;
        }
        if (n == 0) {
            throw new ParseException("empty SDES identifier");
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** The identifier of element {@code id} of the packet, or null when it has none or it is malformed. */
    public static String of(RtpPacket packet, int id) {
        long at = id > 0 ? packet.findExtension(id) : -1;
        if (at < 0) {
            return null;
        }
        try {
            return read(packet.buffer(), (int) (at >>> 16), (int) (at & 0xFFFF));
        } catch (ParseException e) {
            return null;
        }
    }

    /** Adds the element to a header being written. */
    public static void write(RtpHeaderWriter writer, int id, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length < 1 || b.length > MAX_LENGTH) {
            throw new IllegalArgumentException("SDES identifier of " + b.length + " bytes");
        }
        writer.extension(id, b);
    }
}
