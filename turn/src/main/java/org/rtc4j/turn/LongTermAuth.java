package org.rtc4j.turn;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rtc4j.ice.stun.HmacDigest;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunAttribute.PasswordAlgorithm;
import org.rtc4j.ice.stun.StunAttributeType;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;

/**
 * Long-term credentials (RFC 8489 section 9.2.4) for the TURN server: the challenge with realm and a stateless
 * nonce, the password algorithms without downgrade, and the keys of configured users or of TURN REST API
 * names ({@code expiry:user}, HMAC of the shared secret).
 */
final class LongTermAuth {

    static final List<PasswordAlgorithm> ALGORITHMS = List.of(
            new PasswordAlgorithm(PasswordAlgorithm.MD5), new PasswordAlgorithm(PasswordAlgorithm.SHA256));

    record Credential(String username, StunKey key) {
    }

    /** A credential, or else the error response to send, unsigned. */
    record Result(Credential credential, StunMessage.Builder error) {
    }

    private final TurnServerConfig config;
    private final Nonces nonces;
    /** Configured users' keys by name, for MD5 and SHA-256 (no string built per request to look one up). */
    private final Map<String, StunKey> md5Keys = new HashMap<>();
    private final Map<String, StunKey> sha256Keys = new HashMap<>();
    private final HmacDigest restMac;
    private long failures;

    LongTermAuth(TurnServerConfig config) {
        this.config = config;
        this.nonces = new Nonces(config.nonceSecret(), config.nonceLifetime().toSeconds());
        this.restMac = config.authSecret() == null ? null
                : new HmacDigest("SHA-1", config.authSecret().getBytes(StandardCharsets.UTF_8));
    }

    /** Requests whose integrity did not verify. */
    long failures() {
        return failures;
    }

    Result authenticate(Instant now, StunMessage m, byte[] clientIp) {
        if (!m.hasIntegrity()) {
            return refuse(challenge(m, 401, "Unauthorized", now, clientIp));
        }
        StunAttribute.Text username = m.get(StunAttributeType.USERNAME);
        StunAttribute.Text realm = m.get(StunAttributeType.REALM);
        StunAttribute.Text nonce = m.get(StunAttributeType.NONCE);
        if (username == null || realm == null || nonce == null) {
            return refuse(m.errorResponse(400, "Bad Request"));
        }
        if (!nonces.valid(nonce.value(), now, clientIp)) {
            return refuse(challenge(m, 438, "Stale Nonce", now, clientIp));
        }
        int algorithm = PasswordAlgorithm.MD5;
        PasswordAlgorithm chosen = m.get(StunAttributeType.PASSWORD_ALGORITHM);
        StunAttribute.PasswordAlgorithms offered = m.get(StunAttributeType.PASSWORD_ALGORITHMS);
        if (chosen != null || offered != null) {
            // RFC 8489 section 9.2.4: both or neither, and the list must be ours (no downgrade).
            if (chosen == null || offered == null || !offered.algorithms().equals(ALGORITHMS)
                    || !ALGORITHMS.contains(chosen)) {
                return refuse(m.errorResponse(400, "Bad Request: password algorithms"));
            }
            algorithm = chosen.algorithm();
        }
        StunKey key = key(username.value(), algorithm, now);
        if (key == null || !realm.value().equals(config.realm()) || !m.verifyIntegrity(key)) {
            failures++;
            return refuse(challenge(m, 401, "Unauthorized", now, clientIp));
        }
        return new Result(new Credential(username.value(), key), null);
    }

    private static Result refuse(StunMessage.Builder error) {
        return new Result(null, error);
    }

    private StunMessage.Builder challenge(StunMessage m, int code, String reason, Instant now, byte[] clientIp) {
        return m.errorResponse(code, reason)
                .add(StunAttribute.realm(config.realm()))
                .add(StunAttribute.nonce(nonces.issue(now, clientIp)))
                .add(new StunAttribute.PasswordAlgorithms(ALGORITHMS));
    }

    /** The key for a user: a configured one, or a TURN REST API name ({@code expiry:user}) that has not expired. */
    private StunKey key(String username, int algorithm, Instant now) {
        Map<String, StunKey> keys = algorithm == PasswordAlgorithm.SHA256 ? sha256Keys : md5Keys;
        StunKey cached = keys.get(username);
        if (cached != null) {
            return cached;
        }
        String password = config.users().get(username);
        if (password != null) {
            StunKey key = StunKey.longTerm(username, config.realm(), password, algorithm);
            keys.put(username, key);
            return key;
        }
        if (restMac == null) {
            return null;
        }
        int colon = username.indexOf(':');
        String expiry = colon < 0 ? username : username.substring(0, colon);
        long expires;
        try {
            expires = Long.parseLong(expiry);
        } catch (NumberFormatException e) {
            return null;
        }
        if (expires <= now.getEpochSecond()) {
            return null;
        }
        restMac.update(username.getBytes(StandardCharsets.UTF_8));
        String restPassword = Base64.getEncoder().encodeToString(restMac.doFinal());
        return StunKey.longTerm(username, config.realm(), restPassword, algorithm);
    }
}
