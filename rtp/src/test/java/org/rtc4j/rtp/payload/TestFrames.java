package org.rtc4j.rtp.payload;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/** Well-formed synthetic frames of each codec, as far as the payload formats look into them. */
final class TestFrames {

    private TestFrames() {
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** RFC 6386 section 9.1: frame tag (P bit, 19-bit first partition size), start code and size for key frames. */
    static byte[] vp8(Random r, boolean key, int size) {
        int header = key ? 10 : 3;
        byte[] f = random(r, Math.max(size, header + 1));
        int firstPartition = f.length - header;
        int tag = (key ? 0 : 1) | 0x10 | firstPartition << 5;   // show_frame
        f[0] = (byte) tag;
        f[1] = (byte) (tag >>> 8);
        f[2] = (byte) (tag >>> 16);
        if (key) {
            f[3] = (byte) 0x9d;
            f[4] = 0x01;
            f[5] = 0x2a;
        }
        return f;
    }

    /** VP9 section 6.2: profile 0, a key frame header with its size, or an inter frame. */
    static byte[] vp9(Random r, boolean key, int size, int width, int height) {
        byte[] f = random(r, Math.max(size, 12));
        if (key) {
            int[] bit = {0};
            put(f, bit, 0b10_0_0_0_0_1_0, 8);                  // marker, profile 0, not existing, KEY, shown
            put(f, bit, 0x498342, 24);
            put(f, bit, 0b001_0, 4);                             // color space BT.601, studio range
            put(f, bit, width - 1, 16);
            put(f, bit, height - 1, 16);
        } else {
            f[0] = (byte) 0x86;                                  // marker, profile 0, NON_KEY, shown
        }
        return f;
    }

    private static void put(byte[] f, int[] bit, int value, int n) {
        for (int i = n - 1; i >= 0; i--) {
            int b = bit[0]++;
            f[b >>> 3] = (byte) (f[b >>> 3] & ~(0x80 >>> (b & 7)) | ((value >>> i) & 1) << (7 - (b & 7)));
        }
    }

    static byte[] annexB(byte[]... units) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] u : units) {
            o.writeBytes(new byte[] {0, 0, 0, 1});
            o.writeBytes(u);
        }
        return o.toByteArray();
    }

    /** A NAL unit: its header bytes then random bytes, never ending in zero (as RBSP trailing bits ensure). */
    static byte[] nal(Random r, int size, int... header) {
        byte[] u = random(r, Math.max(size, header.length + 2));
        for (int i = 0; i < header.length; i++) {
            u[i] = (byte) header[i];
        }
        // No start code emulation inside: escape 00 00 0x as the encoder would (H.264 7.4.1).
        for (int i = header.length; i < u.length; i++) {
            if (u[i] == 0) {
                u[i] = 1;
            }
        }
        u[u.length - 1] |= (byte) 0x80;
        return u;
    }

    /** An AV1 OBU in low-overhead format (with its size field), with an extension byte if {@code ext >= 0}. */
    static byte[] obu(Random r, int type, int ext, int payloadSize) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(type << 3 | (ext >= 0 ? 0x04 : 0) | 0x02);
        if (ext >= 0) {
            o.write(ext);
        }
        int v = payloadSize;
        do {
            o.write((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
            v >>>= 7;
        } while (v != 0);
        o.writeBytes(random(r, payloadSize));
        return o.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
