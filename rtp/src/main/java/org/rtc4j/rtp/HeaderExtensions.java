package org.rtc4j.rtp;

import java.nio.ByteBuffer;

/**
 * The two forms of RTP header extension elements (RFC 8285 section 4).
 *
 * <pre>
 * one-byte (profile 0xBEDE):          two-byte (profile 0x100 + appbits):
 *  0 1 2 3 4 5 6 7                     0                   1
 * +-+-+-+-+-+-+-+-+                    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 * |  ID   |  len  |  data (len+1)      +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * +-+-+-+-+-+-+-+-+                    |       ID      |     length    |  data (length)
 *                                      +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Zero bytes between elements are padding. In the one-byte form ID 15 ends the block (section 4.2) and ID 0 is
 * padding; in the two-byte form ID 0 is padding.
 */
public final class HeaderExtensions {

    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** The two-byte form: 0x100 in the top 12 bits, 4 application bits below. */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private HeaderExtensions() {
    }

    public static boolean isOneByte(int profile) {
        return profile == ONE_BYTE_PROFILE;
    }

    public static boolean isTwoByte(int profile) {
        return (profile & 0xFFF0) == TWO_BYTE_PROFILE;
    }

    /** See {@link RtpPacket#findExtension(int)}. */
    static long find(ByteBuffer buf, int profile, int start, int end, int id) {
        Cursor c = new Cursor();
        c.reset(buf, profile, start, end);
        while (c.next()) {
            if (c.id == id) {
                return ((long) c.offset << 16) | c.length;
            }
        }
        return -1;
    }

    /** Walks the elements of one extension block; reused from packet to packet. */
    public static final class Cursor {
        private ByteBuffer buf;
        private boolean oneByte;
        private boolean known;
        private int at;
        private int end;
        private int id;
        private int offset;
        private int length;

        Cursor reset(ByteBuffer b, int profile, int start, int stop) {
            this.buf = b;
            this.oneByte = isOneByte(profile);
            this.known = oneByte || isTwoByte(profile);
            this.at = start;
            this.end = stop;
            return this;
        }

        /** Moves to the next element; false at the end, or at the first element that does not fit. */
        public boolean next() {
            if (!known) {
                return false;
            }
            while (at < end) {
                int b = buf.get(at) & 0xFF;
                if (b == 0) {
                    at++;
                    continue;
                }
                if (oneByte) {
                    int elementId = b >>> 4;
                    if (elementId == 15) {
                        at = end;
                        return false;
                    }
                    int len = (b & 0x0F) + 1;
                    if (at + 1 + len > end) {
                        at = end;
                        return false;
                    }
                    id = elementId;
                    offset = at + 1;
                    length = len;
                    at += 1 + len;
                    return true;
                }
                if (at + 2 > end) {
                    at = end;
                    return false;
                }
                int len = buf.get(at + 1) & 0xFF;
                if (at + 2 + len > end) {
                    at = end;
                    return false;
                }
                id = b;
                offset = at + 2;
                length = len;
                at += 2 + len;
                return true;
            }
            return false;
        }

        /** The element's local identifier (1-14 one-byte, 1-255 two-byte). */
        public int id() {
            return id;
        }

        /** Absolute index of the element's data. */
        public int offset() {
            return offset;
        }

        public int length() {
            return length;
        }
    }
}
