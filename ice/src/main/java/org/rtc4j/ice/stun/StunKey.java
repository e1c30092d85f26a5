package org.rtc4j.ice.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.rtc4j.ice.stun.StunAttribute.PasswordAlgorithm;
import org.rtc4j.ice.stun.internal.Precis;

/**
 * The key that MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 are computed with (RFC 8489 section 9):
 * short-term credentials (ICE) or long-term credentials (TURN). Immutable; derive it once per credential,
 * not per message.
 *
 * <p>Passwords and realms go through OpaqueString (RFC 8265) as RFC 8489 requires. Peers that follow RFC
 * 5389 prepared the password with SASLprep (RFC 4013) instead; where the two forms differ, a key also
 * {@linkplain StunMessage#verifyIntegrity(StunKey) verifies} messages made with the SASLprep form, and
 * where OpaqueString refuses the password, the SASLprep form is the key.
 */
public final class StunKey {

    private final byte[] key;
    private final byte[] alternate;

    private StunKey(byte[] key, byte[] alternate) {
        this.key = key;
        this.alternate = alternate != null && !Arrays.equals(alternate, key) ? alternate : null;
    }

    /** Short-term credentials (RFC 8489 section 9.1.1): the key is the prepared password itself. */
    public static StunKey shortTerm(String password) {
        String opaque = Precis.opaqueString(password);
        String sasl = Precis.saslPrep(password);
        String primary = opaque != null ? opaque : sasl != null ? sasl : password;
        return new StunKey(utf8(primary), sasl == null ? null : utf8(sasl));
    }

    /** Long-term credentials with the MD5 password algorithm, the default (RFC 8489 section 9.2.2). */
    public static StunKey longTerm(String username, String realm, String password) {
        return longTerm(username, realm, password, PasswordAlgorithm.MD5);
    }

    /**
     * Long-term credentials (RFC 8489 section 9.2.2): the hash, MD5 or SHA-256 as the password algorithm
     * says, of {@code username ":" OpaqueString(realm) ":" OpaqueString(password)}. The username is taken
     * as it appears in the USERNAME attribute.
     */
    public static StunKey longTerm(String username, String realm, String password, int passwordAlgorithm) {
        String hash = switch (passwordAlgorithm) {
            case PasswordAlgorithm.MD5 -> "MD5";
            case PasswordAlgorithm.SHA256 -> "SHA-256";
            default -> throw new IllegalArgumentException("unknown password algorithm " + passwordAlgorithm);
        };
        String opaqueRealm = orElse(Precis.opaqueString(realm), realm);
        String opaque = Precis.opaqueString(password);
        String sasl = Precis.saslPrep(password);
        byte[] saslKey = sasl == null ? null : digest(hash, username + ":" + realm + ":" + sasl);
        byte[] primary = opaque != null ? digest(hash, username + ":" + opaqueRealm + ":" + opaque)
                : saslKey != null ? saslKey : digest(hash, username + ":" + realm + ":" + password);
        return new StunKey(primary, saslKey);
    }

    /** A key given as bytes (for example one kept from an earlier derivation). */
    public static StunKey of(byte[] key) {
        return new StunKey(key.clone(), null);
    }

    /** USERHASH (RFC 8489 section 14.4): SHA-256 of {@code username ":" realm}, both prepared. */
    public static byte[] userhash(String username, String realm) {
        return digest("SHA-256", orElse(Precis.opaqueString(username), username) + ":"
                + orElse(Precis.opaqueString(realm), realm));
    }

    /** The key bytes that messages are signed with. */
    public byte[] bytes() {
        return key.clone();
    }

    byte[] key() {
        return key;
    }

    /** The SASLprep form where it differs from the key, or {@code null}. */
    byte[] alternate() {
        return alternate;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static byte[] digest(String algorithm, String input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(utf8(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
