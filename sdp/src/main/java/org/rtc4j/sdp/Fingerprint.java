package org.rtc4j.sdp;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.rtc4j.sdp.internal.Grammar;

/**
 * {@code a=fingerprint:<hash-function> <hex:hex:...>} (RFC 8122 section 5): the hash of the certificate
 * the peer will present in DTLS. The hash function name is kept in lower case ({@code sha-256}); the digest as
 * bytes, written in upper-case hex pairs joined by colons.
 */
public record Fingerprint(String hashFunction, byte[] digest) {

    /** The longest digest accepted: SHA-512. */
    private static final int MAX_DIGEST = 64;

    public Fingerprint {
        if (!Grammar.isToken(hashFunction)) {
            throw new IllegalArgumentException("hash function is not a token: " + hashFunction);
        }
        if (digest.length == 0 || digest.length > MAX_DIGEST) {
            throw new IllegalArgumentException("digest must be 1 to 64 bytes, not " + digest.length);
        }
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        digest = digest.clone();
    }

    /** Parses the value of {@code a=fingerprint}. */
    public static Fingerprint parse(String value) throws SdpParseException {
        int sp = value.indexOf(' ');
        if (sp <= 0) {
            throw new SdpParseException(0, "a=fingerprint needs a hash function, a space and the hex digest");
        }
        String hash = value.substring(0, sp);
        String hex = value.substring(sp + 1);
        if (!Grammar.isToken(hash)) {
            throw new SdpParseException(0, "a=fingerprint hash function is not a token: " + hash);
        }
        // 2UHEX *(":" 2UHEX); lower-case hex is accepted too, as browsers do.
        int n = (hex.length() + 1) / 3;
        if (n == 0 || n > MAX_DIGEST || hex.length() != 3 * n - 1) {
            throw new SdpParseException(0, "a=fingerprint digest must be 1 to 64 hex pairs joined by ':'");
        }
        byte[] digest = new byte[n];
        for (int i = 0; i < n; i++) {
            int hi = Character.digit(hex.charAt(3 * i), 16);
            int lo = Character.digit(hex.charAt(3 * i + 1), 16);
            if (hi < 0 || lo < 0 || (i < n - 1 && hex.charAt(3 * i + 2) != ':')) {
                throw new SdpParseException(0, "a=fingerprint digest must be hex pairs joined by ':'");
            }
            digest[i] = (byte) (hi << 4 | lo);
        }
        return new Fingerprint(hash, digest);
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** The digest as upper-case hex pairs joined by colons. */
    public String hex() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /** Whether {@code candidate} (a digest computed with {@link #hashFunction()}) is this one. */
    public boolean matches(byte[] candidate) {
        return java.security.MessageDigest.isEqual(digest, candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && f.hashFunction.equals(hashFunction) && Arrays.equals(f.digest, digest);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + Arrays.hashCode(digest);
    }

    /** The attribute value: {@code sha-256 AB:CD:...}. */
    @Override
    public String toString() {
        return hashFunction + " " + hex();
    }
}
