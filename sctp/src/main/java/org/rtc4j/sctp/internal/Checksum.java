package org.rtc4j.sctp.internal;

import java.util.zip.CRC32C;

/**
 * The packet checksum: CRC-32c over the whole packet with the checksum field zeroed (RFC 9260 6.8,
 * Appendix A), stored least significant byte first; or zero, where both ends accept that (RFC 9653).
 */
public final class Checksum {

    private final CRC32C crc = new CRC32C();

    /** The CRC-32c of {@code len} bytes at {@code off}, with the checksum field (bytes 8..11) taken as zero. */
    public int compute(byte[] b, int off, int len) {
        crc.reset();
        crc.update(b, off, 8);
        crc.update(ZEROS, 0, 4);
        crc.update(b, off + 12, len - 12);
        return (int) crc.getValue();
    }

    /** Writes the CRC-32c into the packet's checksum field. */
    public void seal(byte[] b, int off, int len) {
        int v = compute(b, off, len);
        b[off + 8] = (byte) v;
        b[off + 9] = (byte) (v >>> 8);
        b[off + 10] = (byte) (v >>> 16);
        b[off + 11] = (byte) (v >>> 24);
    }

    /** The checksum field as stored. */
    public static int stored(byte[] b, int off) {
        return (b[off + 8] & 0xFF) | (b[off + 9] & 0xFF) << 8 | (b[off + 10] & 0xFF) << 16 | (b[off + 11] & 0xFF) << 24;
    }

    public boolean verify(byte[] b, int off, int len) {
        return len >= 12 && compute(b, off, len) == stored(b, off);
    }

    private static final byte[] ZEROS = new byte[4];
}
