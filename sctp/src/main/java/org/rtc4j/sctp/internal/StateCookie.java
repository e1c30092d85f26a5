package org.rtc4j.sctp.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rtc4j.core.Bytes;

/**
 * The state cookie of INIT-ACK (RFC 9260 5.1.3): what the association needs from the INIT exchange,
 * with its creation time, signed with HMAC-SHA-256 under a key only this end knows, so a COOKIE-ECHO
 * proves the peer got our INIT-ACK and nothing in it was changed.
 */
public final class StateCookie {

    public static final int SIZE = 56 + 32;

    /** The fields carried. Tie-tags are zero unless the cookie answers an INIT in an existing association. */
    public record Fields(long createdAt, int localTag, int peerTag, int localTsn, int peerTsn, long peerRwnd,
                         int outStreams, int inStreams, int peerFeatures, int tieLocal, int tiePeer) {
    }

    public static final int FEATURE_FORWARD_TSN = 1;
    public static final int FEATURE_RECONFIG = 2;
    public static final int FEATURE_IDATA = 4;
    public static final int FEATURE_ZERO_CHECKSUM = 8;

    private final Mac mac;

    public StateCookie(RandomGenerator random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }

    public byte[] encode(Fields f) {
        byte[] b = new byte[SIZE];
        b[0] = 1; // version
        Bytes.putU64(b, 4, f.createdAt());
        Bytes.putU32(b, 12, f.localTag());
        Bytes.putU32(b, 16, f.peerTag());
        Bytes.putU32(b, 20, f.localTsn());
        Bytes.putU32(b, 24, f.peerTsn());
        Bytes.putU32(b, 28, f.peerRwnd());
        Bytes.putU16(b, 32, f.outStreams());
        Bytes.putU16(b, 34, f.inStreams());
        Bytes.putU32(b, 36, f.peerFeatures());
        Bytes.putU32(b, 40, f.tieLocal());
        Bytes.putU32(b, 44, f.tiePeer());
        mac.update(b, 0, 56);
        byte[] sig = mac.doFinal();
        System.arraycopy(sig, 0, b, 56, 32);
        return b;
    }

    /** The fields, or null when the cookie is malformed or its signature does not verify. */
    public Fields decode(byte[] b) {
        if (b.length != SIZE || b[0] != 1) {
            return null;
        }
        mac.update(b, 0, 56);
        byte[] sig = mac.doFinal();
        byte[] got = java.util.Arrays.copyOfRange(b, 56, SIZE);
        if (!MessageDigest.isEqual(sig, got)) {
            return null;
        }
        long created = (Bytes.getU32(b, 4) << 32) | Bytes.getU32(b, 8);
        return new Fields(created, (int) Bytes.getU32(b, 12), (int) Bytes.getU32(b, 16), (int) Bytes.getU32(b, 20),
                (int) Bytes.getU32(b, 24), Bytes.getU32(b, 28), Bytes.getU16(b, 32), Bytes.getU16(b, 34),
                (int) Bytes.getU32(b, 36), (int) Bytes.getU32(b, 40), (int) Bytes.getU32(b, 44));
    }
}
