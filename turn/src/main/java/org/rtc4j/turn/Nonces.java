package org.rtc4j.turn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.rtc4j.ice.stun.HmacDigest;

/**
 * Stateless nonces (RFC 8489 section 9.2): the nonce cookie with the password-algorithms feature bit
 * (section 9.2.1), the expiry time, and an HMAC binding both to the client's IP, so the server keeps nothing
 * per client and a nonce cannot be moved to another client or stretched.
 */
final class Nonces {

    /** "obMatJos2" and the 24 feature bits, base64: bit 0 (password algorithms) set. */
    static final String PREFIX = "obMatJos2" + "gAAA";

    /** HMAC-SHA256 of the server's secret ({@link HmacDigest}: no JCE provider look-up at start). */
    private final HmacDigest mac;
    private final long lifetimeSeconds;
    /*
     * The nonce issued last and the one verified last, each with its client's address: a client repeats its
     * nonce in every request, and clients of one address within one second get the same one, so most requests
     * need no HMAC (which runs interpreted in a server's first seconds; issue 23).
     */
    private String issued;
    private long issuedExpiry;
    private byte[] issuedFor;
    private String verified;
    private byte[] verifiedFor;
    private long verifiedExpiry;

    Nonces(byte[] secret, long lifetimeSeconds) {
        this.mac = new HmacDigest("SHA-256", secret);
        this.lifetimeSeconds = lifetimeSeconds;
    }

    String issue(Instant now, byte[] clientIp) {
        long expiry = now.getEpochSecond() + lifetimeSeconds;
        if (issued == null || expiry != issuedExpiry || !Arrays.equals(clientIp, issuedFor)) {
            String hex = Long.toHexString(expiry);
            issued = new StringBuilder(PREFIX.length() + hex.length() + 25).append(PREFIX).append(hex).append('.')
                    .append(tag(hex, clientIp)).toString();
            issuedExpiry = expiry;
            issuedFor = clientIp.clone();
        }
        return issued;
    }

    /** Whether {@code nonce} was issued here for this client and has not expired. */
    boolean valid(String nonce, Instant now, byte[] clientIp) {
        // The tag is a function of the expiry and the address alone: a nonce verified for this address stays so
        // until it expires.
        if (nonce.equals(verified) && Arrays.equals(clientIp, verifiedFor)) {
            return now.getEpochSecond() < verifiedExpiry;
        }
        if (!nonce.startsWith(PREFIX)) {
            return false;
        }
        int dot = nonce.indexOf('.', PREFIX.length());
        if (dot < 0 || dot - PREFIX.length() > 16) {
            return false;
        }
        String expiry = nonce.substring(PREFIX.length(), dot);
        long expires;
        try {
            expires = Long.parseUnsignedLong(expiry, 16);
        } catch (NumberFormatException e) {
            return false;
        }
        if (now.getEpochSecond() >= expires) {
            return false;
        }
        byte[] expected = tag(expiry, clientIp).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            return false;
        }
        verified = nonce;
        verifiedFor = clientIp.clone();
        verifiedExpiry = expires;
        return true;
    }

    private String tag(String expiry, byte[] clientIp) {
        mac.update(expiry.getBytes(StandardCharsets.US_ASCII));
        mac.update(clientIp);
        byte[] full = mac.doFinal();
        return HexFormat.of().formatHex(full, 0, 12);
    }
}
