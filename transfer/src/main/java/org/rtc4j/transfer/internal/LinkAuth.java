package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rtc4j.transfer.TransferException;

/**
 * Proof of a link's secret (256 random bits in the link's fragment, which never reaches the server), sans-IO.
 * Each end sends one {@code proof}: {@code {"t":"proof","key":HMAC(S,"rtc4j-transfer key\n"+role),
 * "bind":HMAC(S,"rtc4j-transfer fingerprints\n"+role+"\n"+senderFp+"\n"+receiverFp)}}, HMAC-SHA256 under the
 * secret's bytes. {@code key} tells a wrong link ({@code WRONG_CODE}) from a swapped fingerprint
 * ({@code INTERCEPTED}, {@code bind}); the role in each keeps a proof from being reflected back. The secret is
 * too long to guess, so no PAKE is needed; the browser computes the same with SubtleCrypto (js/transfer-wire.js).
 * The receiver sends first; the sender checks it and answers with its own.
 */
public final class LinkAuth {

    private final CodeAuth.Role role;
    private final byte[] secret;
    private final String senderFingerprint;
    private final String receiverFingerprint;

    public LinkAuth(CodeAuth.Role role, String secret, String localFingerprint, String remoteFingerprint) {
        this.role = role;
        this.secret = Base64.getUrlDecoder().decode(secret);
        this.senderFingerprint = role == CodeAuth.Role.SENDER ? localFingerprint : remoteFingerprint;
        this.receiverFingerprint = role == CodeAuth.Role.SENDER ? remoteFingerprint : localFingerprint;
    }

    /** This end's proof. */
    public ObjectNode proof() {
        return Json.message("proof").put("key", Json.HEX.formatHex(key(role)))
                .put("bind", Json.HEX.formatHex(bind(role)));
    }

    /** Checks the peer's proof: {@code WRONG_CODE} for another secret, {@code INTERCEPTED} for other fingerprints. */
    public void check(JsonNode m) throws TransferException {
        if (!MessageDigest.isEqual(Json.hex(m, "key", 32), key(role.other()))) {
            throw new TransferException(TransferException.Reason.WRONG_CODE,
                    "wrong link: its secret does not match the sender's (nothing was transferred)");
        }
        if (!MessageDigest.isEqual(Json.hex(m, "bind", 32), bind(role.other()))) {
            throw new TransferException(TransferException.Reason.INTERCEPTED,
                    "the link matched but the two ends see different DTLS certificates: the connection may be "
                            + "intercepted (the server swapped fingerprints?); nothing was transferred");
        }
    }

    private byte[] key(CodeAuth.Role who) {
        return hmac("rtc4j-transfer key\n" + who.id());
    }

    private byte[] bind(CodeAuth.Role who) {
        return hmac("rtc4j-transfer fingerprints\n" + who.id() + "\n" + senderFingerprint + "\n" + receiverFingerprint);
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
