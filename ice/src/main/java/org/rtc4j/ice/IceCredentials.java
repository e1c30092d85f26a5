package org.rtc4j.ice;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The ICE username fragment and password of one side (RFC 8445 section 5.3, RFC 8839 section 5.4: ufrag 4
 * to 256 ice-chars, password 22 to 256).
 */
public record IceCredentials(String ufrag, String password) {

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        if (ufrag.length() < 4 || ufrag.length() > 256 || !ufrag.chars().allMatch(IceCandidate::isIceChar)) {
            throw new IllegalArgumentException("ice-ufrag is 4 to 256 ice-chars: '" + ufrag + "'");
        }
        if (password.length() < 22 || password.length() > 256
                || !password.chars().allMatch(IceCandidate::isIceChar)) {
            throw new IllegalArgumentException("ice-pwd is 22 to 256 ice-chars");
        }
    }

    /** Fresh credentials: an 8-character ufrag (48 bits) and a 24-character password (144 bits). */
    public static IceCredentials random(RandomGenerator random) {
        return new IceCredentials(text(random, 8), text(random, 24));
    }

    private static String text(RandomGenerator random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]";
    }
}
