package org.rtc4j.server.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials from a secret shared with the TURN server (the "TURN REST API" scheme of
 * draft-uberti-behave-turn-rest-00 section 2, as coturn's use-auth-secret implements it): the username is
 * {@code expiry:id} with the expiry in Unix seconds, the password the base64 of HMAC-SHA1(secret, username).
 */
public record TurnCredentials(String username, String password) {

    /** Credentials for {@code id} valid until {@code expiryEpochSeconds}. */
    public static TurnCredentials issue(byte[] secret, String id, long expiryEpochSeconds) {
        if (id.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the id must not contain ':': " + id);
        }
        String username = expiryEpochSeconds + ":" + id;
        return new TurnCredentials(username, password(secret, username));
    }

    /** The password the TURN server expects for {@code username}. */
    public static String password(byte[] secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JDK", e);
        }
    }

    /**
     * The expiry of a username of this scheme in Unix seconds, or -1 when it does not start with one; a
     * TURN server refuses the username once this is in the past.
     */
    public static long expiry(String username) {
        int colon = username.indexOf(':');
        String head = colon < 0 ? username : username.substring(0, colon);
        if (head.isEmpty() || head.length() > 18 || !head.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(head);
    }
}
