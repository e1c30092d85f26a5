package org.rtc4j.transfer.internal;

import java.util.Locale;

/** The DTLS certificate fingerprint a session description announces (RFC 8122 section 5, {@code a=fingerprint}). */
public final class Fingerprints {

    private Fingerprints() {
    }

    /**
     * The first {@code a=fingerprint} of {@code sdp}, as {@code sha-256 AB:CD:...} with the algorithm in lower
     * and the hex in upper case, so that both ends write the same text for the same certificate.
     *
     * @throws IllegalArgumentException when the description has none
     */
    public static String of(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=fingerprint:")) {
                String[] parts = line.substring("a=fingerprint:".length()).strip().split("\\s+");
                if (parts.length == 2) {
                    return parts[0].toLowerCase(Locale.ROOT) + " " + parts[1].toUpperCase(Locale.ROOT);
                }
            }
        }
        throw new IllegalArgumentException("the session description has no a=fingerprint");
    }
}
