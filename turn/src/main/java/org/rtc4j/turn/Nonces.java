package org.rtc4j.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces (RFC 8489 section 9.2): the nonce cookie with the password-algorithms feature bit
 * (section 9.2.1), the expiry time, and an HMAC binding both to the client's IP, so the server keeps nothing
 * per client and a nonce cannot be moved to another client or stretched.
 */
final class Nonces {

    /** "obMatJos2" and the 24 feature bits, base64: bit 0 (password algorithms) set. */
    static final String PREFIX = "obMatJos2" + "gAAA";

    private final Mac mac;
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

    Nonces(byte[] secret, long lifetimeSeconds) {
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
        // The tag is a function of the expiry and the address alone: a nonce verified for this address stays so.
        if (Arrays.equals(clientIp, verifiedFor) && nonce.equals(verified)) {
            return true;
        }
        byte[] expected = tag(expiry, clientIp).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            return false;
        }
        verified = nonce;
        verifiedFor = clientIp.clone();
        return true;
    }

    private String tag(String expiry, byte[] clientIp) {
        mac.update(expiry.getBytes(StandardCharsets.US_ASCII));
        mac.update(clientIp);
        byte[] full = mac.doFinal();
        return HexFormat.of().formatHex(full, 0, 12);
    }
}
