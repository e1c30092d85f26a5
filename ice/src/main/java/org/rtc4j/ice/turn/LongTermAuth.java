package org.rtc4j.ice.turn;

import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;

/**
 * The long-term credential mechanism of a TURN client (RFC 8489 section 9.2): unsigned until the server's
 * first 401 brings a realm and nonce, then every request signed with the key of the password algorithm the
 * server offers (MD5, or SHA-256 when it offers only that); 438 brings a fresh nonce.
 */
final class LongTermAuth {

    private final String username;
    private final String password;
    private String realm;
    private String nonce;
    private StunKey key;
    private StunAttribute.PasswordAlgorithms passwordAlgorithms;
    private long staleNonces;

    LongTermAuth(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** RFC 8489 section 9.2.4: USERNAME, REALM, NONCE and the integrity, once challenged; whether it signed. */
    boolean sign(StunMessage.Builder b) {
        if (key == null) {
            return false;
        }
        b.add(StunAttribute.username(username)).add(StunAttribute.realm(realm)).add(StunAttribute.nonce(nonce));
        if (passwordAlgorithms != null) {
            b.add(passwordAlgorithms);
            b.add(new StunAttribute.PasswordAlgorithm(chosenAlgorithm()));
        }
        b.integrity(key);
        return true;
    }

    /**
     * A response to an authenticated request must carry our integrity (RFC 8489 section 9.2.5); 401 and 438
     * cannot, and are only acted on as the RFC allows (new nonce, never a lower security).
     */
    boolean forged(TurnRequest r, StunMessage m, boolean success, int code) {
        boolean authentic = key != null && r.signed && m.verifyIntegrity(key);
        return (success || (code != 401 && code != 438)) && r.signed && !authentic;
    }

    /** A 401 or 438: takes the new nonce (and realm, and key); false when retrying would not help. */
    boolean challenged(TurnRequest r, StunMessage m, int code) {
        StunAttribute.Text newNonce = m.get(StunAttributeType.NONCE);
        StunAttribute.Text newRealm = m.get(StunAttributeType.REALM);
        if (newNonce == null || (code == 401 && newRealm == null && realm == null) || r.authRetries >= 2
                || (code == 401 && key != null && r.signed && newRealm != null && newRealm.value().equals(realm)
                        && r.authRetries >= 1)) {
            return false;
        }
        if (code == 438) {
            staleNonces++;
        }
        nonce = newNonce.value();
        if (newRealm != null && (realm == null || code == 401)) {
            realm = newRealm.value();
            StunAttribute.PasswordAlgorithms offered = m.get(StunAttributeType.PASSWORD_ALGORITHMS);
            passwordAlgorithms = offered;
            int algorithm = StunAttribute.PasswordAlgorithm.MD5;
            if (offered != null && offered.algorithms().stream().noneMatch(
                    a -> a.algorithm() == StunAttribute.PasswordAlgorithm.MD5)) {
                algorithm = StunAttribute.PasswordAlgorithm.SHA256;
            }
            key = StunKey.longTerm(username, realm, password, algorithm);
        }
        return true;
    }

    private int chosenAlgorithm() {
        return passwordAlgorithms.algorithms().stream()
                .anyMatch(a -> a.algorithm() == StunAttribute.PasswordAlgorithm.MD5)
                ? StunAttribute.PasswordAlgorithm.MD5 : StunAttribute.PasswordAlgorithm.SHA256;
    }

    long staleNonces() {
        return staleNonces;
    }
}
