package org.rtc4j.core;

import java.util.HexFormat;

/** Big-endian (network order) writes into byte arrays, and hex for logs and test vectors. */
public final class Bytes {

    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    public static void putU8(byte[] b, int offset, int value) {
        b[offset] = (byte) value;
    }

    public static void putU16(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }

    public static void putU24(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 16);
        b[offset + 1] = (byte) (value >>> 8);
        b[offset + 2] = (byte) value;
    }

    public static void putU32(byte[] b, int offset, long value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    public static void putU64(byte[] b, int offset, long value) {
        putU32(b, offset, value >>> 32);
        putU32(b, offset + 4, value);
    }

    public static int getU16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    public static long getU32(byte[] b, int offset) {
        return ((long) (b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16)
                | ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF);
    }

    /** Lower-case hex, no separators. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Parses hex, ignoring white space (so RFC test vectors can be pasted as they are printed). */
    public static byte[] fromHex(String hex) {
        return HEX.parseHex(hex.replaceAll("\\s+", ""));
    }

    /** Rounds up to a multiple of four, as STUN attributes and SCTP chunks are padded. */
    public static int pad4(int length) {
        return (length + 3) & ~3;
    }
}
