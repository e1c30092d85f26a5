package org.rtc4j.dtls.internal.loop;

import java.util.Arrays;

/**
 * Bounds-checked reading of TLS vectors (RFC 5246 section 4.3) and a growable writer. A reader past its end, or
 * a vector longer than what holds it, throws {@link Malformed}: the handshake answers with decode_error.
 */
final class Wire {

    private Wire() {
    }

    /** A malformed message from the peer. */
    static final class Malformed extends Exception {
        Malformed(String what) {
            super(what, null, false, false);
        }
    }

    static int u16(byte[] d, int at) {
        return ((d[at] & 0xFF) << 8) | (d[at + 1] & 0xFF);
    }

    static int u24(byte[] d, int at) {
        return ((d[at] & 0xFF) << 16) | ((d[at + 1] & 0xFF) << 8) | (d[at + 2] & 0xFF);
    }

    static long u48(byte[] d, int at) {
        return ((long) u16(d, at) << 32) | ((long) u16(d, at + 2) << 16) | u16(d, at + 4);
    }

    /** Reads a message body front to back; every length is checked against what is left. */
    static final class Reader {
        private final byte[] d;
        private int pos;
        private final int end;

        Reader(byte[] d) {
            this(d, 0, d.length);
        }

        Reader(byte[] d, int from, int to) {
            this.d = d;
            this.pos = from;
            this.end = to;
        }

        int left() {
            return end - pos;
        }

        private void need(int n) throws Malformed {
            if (n < 0 || n > end - pos) {
                throw new Malformed("truncated at " + pos);
            }
        }

        int u8() throws Malformed {
            need(1);
            return d[pos++] & 0xFF;
        }

        int u16() throws Malformed {
            need(2);
            int v = Wire.u16(d, pos);
            pos += 2;
            return v;
        }

        int u24() throws Malformed {
            need(3);
            int v = Wire.u24(d, pos);
            pos += 3;
            return v;
        }

        byte[] bytes(int n) throws Malformed {
            need(n);
            byte[] v = Arrays.copyOfRange(d, pos, pos + n);
            pos += n;
            return v;
        }

        /** A vector with a {@code lengthBytes}-byte length (1, 2 or 3), as a reader of its own. */
        Reader vector(int lengthBytes) throws Malformed {
            int n = lengthBytes == 1 ? u8() : lengthBytes == 2 ? u16() : u24();
            need(n);
            Reader r = new Reader(d, pos, pos + n);
            pos += n;
            return r;
        }

        byte[] opaque(int lengthBytes) throws Malformed {
            Reader r = vector(lengthBytes);
            return Arrays.copyOfRange(d, r.pos, r.end);
        }

        void end() throws Malformed {
            if (pos != end) {
                throw new Malformed((end - pos) + " bytes too many");
            }
        }
    }

    /** Appends big-endian fields; vectors get their length filled in when closed. */
    static final class Writer {
        private byte[] d = new byte[256];
        private int len;

        private void ensure(int n) {
            if (len + n > d.length) {
                d = Arrays.copyOf(d, Math.max(d.length * 2, len + n));
            }
        }

        Writer u8(int v) {
            ensure(1);
            d[len++] = (byte) v;
            return this;
        }

        Writer u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Writer u24(int v) {
            return u8(v >>> 16).u16(v);
        }

        Writer bytes(byte[] v) {
            ensure(v.length);
            System.arraycopy(v, 0, d, len, v.length);
            len += v.length;
            return this;
        }

        /** Opens a vector with a {@code lengthBytes}-byte length: returns the mark for {@link #close}. */
        int open(int lengthBytes) {
            int mark = len;
            for (int i = 0; i < lengthBytes; i++) {
                u8(0);
            }
            return mark | (lengthBytes << 28);
        }

        Writer close(int mark) {
            int lengthBytes = mark >>> 28;
            int at = mark & 0x0FFFFFFF;
            int n = len - at - lengthBytes;
            for (int i = lengthBytes - 1; i >= 0; i--) {
                d[at + i] = (byte) (n >>> (8 * (lengthBytes - 1 - i)));
            }
            return this;
        }

        Writer opaque(int lengthBytes, byte[] v) {
            if (lengthBytes == 1) {
                u8(v.length);
            } else if (lengthBytes == 2) {
                u16(v.length);
            } else {
                u24(v.length);
            }
            return bytes(v);
        }

        int length() {
            return len;
        }

        byte[] toArray() {
            return Arrays.copyOf(d, len);
        }
    }
}
