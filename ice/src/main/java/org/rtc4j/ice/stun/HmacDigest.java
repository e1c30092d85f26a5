package org.rtc4j.ice.stun;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC (RFC 2104) over a {@link MessageDigest} of 64-byte blocks (SHA-1, SHA-256): for MESSAGE-INTEGRITY and
 * MESSAGE-INTEGRITY-SHA256, and the TURN server's nonces and REST API passwords.
 *
 * <p>Why not {@code javax.crypto.Mac}: its first look-up walks the security providers in order and builds each
 * one on the way to SunJCE (SunEC's curve tables among them), some 10 ms of a server's start-up CPU, while the
 * digests come from the first provider. The digests after the key's inner and outer pad blocks are kept and
 * copied for each message, so a message costs two compressions fewer than with the key absorbed each time
 * (issue 23: a server's first messages run in the interpreter). Not thread-safe; one instance per key.
 */
public final class HmacDigest {

    private static final int BLOCK = 64;

    private final String algorithm;
    private final byte[] innerPad;
    private final byte[] outerPad;
    /** The digest after the inner and the outer pad block (RFC 2104 section 2: K XOR ipad, K XOR opad). */
    private final MessageDigest innerKeyed;
    private final MessageDigest outerKeyed;
    private final int length;
    private final byte[] innerHash;
    private MessageDigest inner;

    /**
     * @param algorithm a digest with 64-byte blocks: "SHA-1" or "SHA-256"
     * @param key any length; longer than a block, it is hashed first (RFC 2104 section 2)
     */
    public HmacDigest(String algorithm, byte[] key) {
        if (!algorithm.equals("SHA-1") && !algorithm.equals("SHA-256")) {
            throw new IllegalArgumentException(algorithm + ": only digests of 64-byte blocks here");
        }
        this.algorithm = algorithm;
        MessageDigest digest = digest(algorithm);
        byte[] k = key.length > BLOCK ? digest.digest(key) : key;
        innerPad = new byte[BLOCK];
        outerPad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5C);
        }
        digest.reset();
        digest.update(innerPad);
        innerKeyed = digest;
        outerKeyed = digest(algorithm);
        outerKeyed.update(outerPad);
        length = digest.getDigestLength();
        innerHash = new byte[length];
        inner = copy(innerKeyed, innerPad);
    }

    /** The length of the HMAC in bytes: the digest's. */
    public int length() {
        return length;
    }

    public void update(byte b) {
        inner.update(b);
    }

    public void update(byte[] bytes) {
        inner.update(bytes);
    }

    public void update(byte[] bytes, int offset, int count) {
        inner.update(bytes, offset, count);
    }

    /** Writes the HMAC of what was given since the last one at {@code out[offset ..]}, and starts anew. */
    public void doFinal(byte[] out, int offset) {
        try {
            inner.digest(innerHash, 0, length);
            MessageDigest outer = copy(outerKeyed, outerPad);
            outer.update(innerHash);
            outer.digest(out, offset, length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e); // the output always has room: checked by the caller's array
        } finally {
            inner = copy(innerKeyed, innerPad);
        }
    }

    /** The HMAC of what was given since the last one, and starts anew. */
    public byte[] doFinal() {
        byte[] out = new byte[length];
        doFinal(out, 0);
        return out;
    }

    /** The digest after {@code pad}: a copy of {@code keyed}, or anew where the digest cannot be copied. */
    private MessageDigest copy(MessageDigest keyed, byte[] pad) {
        try {
            return (MessageDigest) keyed.clone();
        } catch (CloneNotSupportedException e) {
            MessageDigest fresh = digest(algorithm);
            fresh.update(pad);
            return fresh;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
