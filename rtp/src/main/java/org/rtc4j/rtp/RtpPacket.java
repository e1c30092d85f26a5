package org.rtc4j.rtp;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/**
 * An RTP packet read and written in place over a buffer (RFC 3550 section 5.1): nothing is copied, and one view
 * is {@linkplain #parse reused} from packet to packet, so reading a packet allocates nothing.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  defined by profile (0xBEDE, 0x100x) |         length          |  header extension (X=1)
 * |                        extension elements                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 payload ...   | padding ... |  padding count  |  (P=1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Offsets returned by this class are absolute indexes into {@link #buffer()}. Setters write the fixed header in
 * place (a forwarder rewrites SSRC, sequence number and timestamp this way). Not thread-safe.
 */
public final class RtpPacket {

    /** The fixed header, without CSRCs or extension. */
    public static final int FIXED_HEADER = 12;

    private ByteBuffer buf;
    private int start;
    private int length;
    private int headerLength;
    private int paddingLength;
    private int extensionProfile;
    private int extensionStart;
    private int extensionEnd;

    /** A view over the packet between the buffer's position and limit. */
    public static RtpPacket of(ByteBuffer buffer) throws ParseException {
        return new RtpPacket().parse(buffer);
    }

    /**
     * Points this view at the packet between the buffer's position and limit (the buffer is not moved) and checks
     * every length in the header; nothing past what it checked is read later without a bound.
     */
    public RtpPacket parse(ByteBuffer buffer) throws ParseException {
        return parse(buffer, buffer.position(), buffer.remaining());
    }

    /** As {@link #parse(ByteBuffer)}, for {@code length} bytes at absolute index {@code offset}. */
    public RtpPacket parse(ByteBuffer buffer, int offset, int len) throws ParseException {
        if (len < FIXED_HEADER) {
            throw new ParseException("RTP packet of " + len + " bytes is shorter than its fixed header");
        }
        int b0 = buffer.get(offset) & 0xFF;
        if ((b0 >>> 6) != 2) {
            throw new ParseException("RTP version " + (b0 >>> 6));
        }
        int header = FIXED_HEADER + 4 * (b0 & 0x0F);
        int extProfile = 0;
        int extStart = 0;
        int extEnd = 0;
        if ((b0 & 0x10) != 0) {
            if (header + 4 > len) {
                throw new ParseException("RTP header extension past the end");
            }
            extProfile = buffer.getShort(offset + header) & 0xFFFF;
            int words = buffer.getShort(offset + header + 2) & 0xFFFF;
            extStart = offset + header + 4;
            header += 4 + 4 * words;
            extEnd = offset + header;
        }
        if (header > len) {
            throw new ParseException("RTP header of " + header + " bytes in a packet of " + len);
        }
        int padding = 0;
        if ((b0 & 0x20) != 0) {
            // RFC 3550 5.1: the last octet counts the padding, itself included.
            padding = buffer.get(offset + len - 1) & 0xFF;
            if (padding == 0 || header + padding > len) {
                throw new ParseException("RTP padding of " + padding + " bytes does not fit");
            }
        }
        this.buf = buffer;
        this.start = offset;
        this.length = len;
        this.headerLength = header;
        this.paddingLength = padding;
        this.extensionProfile = extProfile;
        this.extensionStart = extStart;
        this.extensionEnd = extEnd;
        return this;
    }

    /** Whether the bytes look like RTP rather than RTCP (RFC 5761 section 4: payload types 64-95 are RTCP's). */
    public static boolean looksLikeRtp(ByteBuffer b, int offset, int len) {
        if (len < FIXED_HEADER || (b.get(offset) & 0xC0) != 0x80) {
            return false;
        }
        int pt = b.get(offset + 1) & 0x7F;
        return pt < 64 || pt > 95;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    /** Absolute index of the first byte. */
    public int offset() {
        return start;
    }

    public int length() {
        return length;
    }

    /** Fixed header, CSRCs and header extension. */
    public int headerLength() {
        return headerLength;
    }

    public int payloadOffset() {
        return start + headerLength;
    }

    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    public int paddingLength() {
        return paddingLength;
    }

    /** A view of the payload (allocates the view; hot paths use {@link #payloadOffset()}). */
    public ByteBuffer payload() {
        return buf.slice(payloadOffset(), payloadLength());
    }

    public boolean hasPadding() {
        return paddingLength > 0;
    }

    public boolean marker() {
        return (buf.get(start + 1) & 0x80) != 0;
    }

    public int payloadType() {
        return buf.get(start + 1) & 0x7F;
    }

    public int sequenceNumber() {
        return buf.getShort(start + 2) & 0xFFFF;
    }

    public long timestamp() {
        return buf.getInt(start + 4) & 0xFFFF_FFFFL;
    }

    public int ssrc() {
        return buf.getInt(start + 8);
    }

    public int csrcCount() {
        return buf.get(start) & 0x0F;
    }

    public int csrc(int index) {
        if (index < 0 || index >= csrcCount()) {
            throw new IndexOutOfBoundsException("CSRC " + index + " of " + csrcCount());
        }
        return buf.getInt(start + FIXED_HEADER + 4 * index);
    }

    public boolean hasExtension() {
        return extensionEnd > 0;
    }

    /** The 16-bit "defined by profile" field (0xBEDE one-byte, 0x100x two-byte), 0 without an extension. */
    public int extensionProfile() {
        return extensionProfile;
    }

    /**
     * The element with local identifier {@code id} (RFC 8285) as {@code (offset << 16) | length} with an
     * absolute offset, or -1 when there is none (or the extension block is malformed past that point).
     */
    public long findExtension(int id) {
        if (extensionEnd == 0) {
            return -1;
        }
        return HeaderExtensions.find(buf, extensionProfile, extensionStart, extensionEnd, id);
    }

    /** The elements of the header extension, one at a time, without allocating per element. */
    public HeaderExtensions.Cursor extensions(HeaderExtensions.Cursor cursor) {
        return cursor.reset(buf, extensionProfile, extensionStart, extensionEnd);
    }

    public void setMarker(boolean marker) {
        int b1 = buf.get(start + 1);
        buf.put(start + 1, (byte) (marker ? b1 | 0x80 : b1 & 0x7F));
    }

    public void setPayloadType(int pt) {
        if (pt < 0 || pt > 127) {
            throw new IllegalArgumentException("payload type " + pt);
        }
        buf.put(start + 1, (byte) ((buf.get(start + 1) & 0x80) | pt));
    }

    public void setSequenceNumber(int seq) {
        buf.putShort(start + 2, (short) seq);
    }

    public void setTimestamp(long ts) {
        buf.putInt(start + 4, (int) ts);
    }

    public void setSsrc(int ssrc) {
        buf.putInt(start + 8, ssrc);
    }

    @Override
    public String toString() {
        return "RTP[pt=" + payloadType() + " seq=" + sequenceNumber() + " ts=" + timestamp() + " ssrc="
                + Integer.toUnsignedString(ssrc()) + (marker() ? " M" : "") + " " + payloadLength() + "B]";
    }
}
