package org.rtc4j.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint as SDP carries it ({@code a=fingerprint:sha-256 AB:CD:...}, RFC 8122 section
 * 5): a hash function name and the hash of the DER certificate.
 *
 * @param algorithm one of {@code sha-1}, {@code sha-224}, {@code sha-256}, {@code sha-384}, {@code sha-512}
 * @param value the hash bytes
 */
public record DtlsFingerprint(String algorithm, byte[] value) {

    /** The hash WebRTC uses by default (W3C webrtc-pc, RFC 8827). */
    public static final String DEFAULT_ALGORITHM = "sha-256";

    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    public DtlsFingerprint {
        algorithm = normalise(algorithm);
        value = value.clone();
        if (value.length != digestLength(algorithm)) {
            throw new IllegalArgumentException(algorithm + " fingerprint must have " + digestLength(algorithm)
                    + " bytes, got " + value.length);
        }
    }

    /** The fingerprint of a DER certificate. */
    public static DtlsFingerprint of(byte[] derCertificate, String algorithm) {
        String a = normalise(algorithm);
        try {
            return new DtlsFingerprint(a, MessageDigest.getInstance(javaName(a)).digest(derCertificate));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(a + " is not available", e);
        }
    }

    /**
     * Parses the value of an {@code a=fingerprint} attribute: {@code sha-256 AB:CD:...} (case-insensitive).
     *
     * @throws IllegalArgumentException with the reason when it is not one
     */
    public static DtlsFingerprint parse(String sdpValue) {
        String text = sdpValue.trim();
        int space = text.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("expected '<hash> <hex:hex:...>', got '" + sdpValue + "'");
        }
        String algorithm = text.substring(0, space);
        String hex = text.substring(space + 1).trim();
        byte[] bytes;
        try {
            bytes = HEX.parseHex(hex.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad fingerprint hex in '" + sdpValue + "'");
        }
        return new DtlsFingerprint(algorithm, bytes);
    }

    /** Whether this fingerprint is that of the DER certificate (hashed with this fingerprint's algorithm). */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(value, of(derCertificate, algorithm).value);
    }

    /** The SDP form: {@code sha-256 AB:CD:...}. */
    public String toSdp() {
        return algorithm + " " + HEX.formatHex(value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint f && f.algorithm.equals(algorithm)
                && MessageDigest.isEqual(f.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, java.util.Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return toSdp();
    }

    private static String normalise(String algorithm) {
        String a = Objects.requireNonNull(algorithm, "algorithm").toLowerCase(Locale.ROOT);
        digestLength(a);
        return a;
    }

    private static int digestLength(String algorithm) {
        return switch (algorithm) {
            case "sha-1" -> 20;
            case "sha-224" -> 28;
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> throw new IllegalArgumentException("unsupported fingerprint hash '" + algorithm
                    + "' (sha-1, sha-224, sha-256, sha-384, sha-512)");
        };
    }

    private static String javaName(String algorithm) {
        return algorithm.toUpperCase(Locale.ROOT);
    }
}
