package org.rtc4j.ice.stun;

import java.util.zip.CRC32;

/**
 * HMAC-SHA1, HMAC-SHA256 and the CRC-32 of FINGERPRINT over a message prefix, with {@link HmacDigest}s per
 * thread and algorithm for the last two keys, so that signing and checking allocate little per message. Two:
 * an ICE agent signs its checks with the remote password and checks the remote's with its own, alternately,
 * and a new {@code HmacDigest} (a provider look-up and two pad blocks) per message was most of a message's cost.
 */
final class Hmac {

    static final int SHA1 = 0;
    static final int SHA256 = 1;
    private static final String[] DIGESTS = {"SHA-1", "SHA-256"};

    private static final ThreadLocal<Hmac> LOCAL = ThreadLocal.withInitial(Hmac::new);

    /** By algorithm: the digests of the last key used and the one before, with their keys. */
    private final HmacDigest[][] macs = new HmacDigest[2][2];
    private final byte[][][] keys = new byte[2][2][];
    final byte[] out = new byte[32];
    final CRC32 crc = new CRC32();

    static Hmac local() {
        return LOCAL.get();
    }

    /**
     * The HMAC of {@code message[0 .. length)} into {@link #out}, as if the header's length field (bytes
     * 2-3) held {@code headerLength} (RFC 8489 sections 14.5 and 14.6).
     */
    void compute(int algorithm, byte[] key, byte[] message, int length, int headerLength) {
        HmacDigest mac = mac(algorithm, key);
        mac.update(message, 0, 2);
        mac.update((byte) (headerLength >>> 8));
        mac.update((byte) headerLength);
        mac.update(message, 4, length - 4);
        mac.doFinal(out, 0);
    }

    private HmacDigest mac(int algorithm, byte[] key) {
        HmacDigest[] m = macs[algorithm];
        byte[][] k = keys[algorithm];
        // Keys are immutable: the same array is the same key.
        if (k[0] == key) {
            return m[0];
        }
        // An empty key pads to the same HMAC key as a single zero byte (RFC 2104 section 2).
        HmacDigest mac = k[1] == key ? m[1] : new HmacDigest(DIGESTS[algorithm], key);
        m[1] = m[0];
        k[1] = k[0];
        m[0] = mac;
        k[0] = key;
        return mac;
    }

    /** FINGERPRINT (RFC 8489 section 14.7): CRC-32 of the message so far, XOR 0x5354554e. */
    int fingerprint(byte[] message, int length) {
        crc.reset();
        crc.update(message, 0, length);
        return (int) crc.getValue() ^ 0x5354554E;
    }
}
