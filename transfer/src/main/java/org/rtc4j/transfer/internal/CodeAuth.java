package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.agreement.jpake.JPAKEParticipant;
import org.bouncycastle.crypto.agreement.jpake.JPAKEPrimeOrderGroups;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound1Payload;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound2Payload;
import org.bouncycastle.crypto.agreement.jpake.JPAKERound3Payload;
import org.rtc4j.transfer.TransferCode;
import org.rtc4j.transfer.TransferException;

/**
 * The key exchange on the code's words (J-PAKE, RFC 8236, over the NIST 3072-bit group), sans-IO: messages in,
 * messages out. Both ends send {@code pake1} at once, {@code pake2} on the peer's {@code pake1}, and
 * {@code confirm} on the peer's {@code pake2}. {@code confirm} carries J-PAKE's key confirmation (RFC 8236
 * section 4: a wrong code fails here) and an HMAC, under the shared key, over both DTLS fingerprints as this
 * end saw them: the sender's and the receiver's certificate. A server that swapped fingerprints in the SDP
 * terminates two DTLS sessions, so the two ends saw different pairs and the HMACs differ.
 */
public final class CodeAuth {

    /** Which end: part of every MAC, so a message cannot be reflected back. */
    public enum Role {
        SENDER, RECEIVER;

        Role other() {
            return this == SENDER ? RECEIVER : SENDER;
        }

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A 3072-bit number is 384 bytes; nothing larger is accepted. */
    private static final int MAX_NUMBER = 400;

    private final Role role;
    private final JPAKEParticipant jpake;
    private final String senderFingerprint;
    private final String receiverFingerprint;
    private BigInteger keyingMaterial;
    private boolean confirmed;

    /**
     * @param words the code's words (never the nameplate)
     * @param localFingerprint this end's certificate as its SDP announces it
     * @param remoteFingerprint the peer's, as the remote SDP announces it (DTLS checked the certificate)
     */
    public CodeAuth(Role role, String words, String localFingerprint, String remoteFingerprint) {
        this.role = role;
        this.jpake = new JPAKEParticipant(role.id(), words.toCharArray(), JPAKEPrimeOrderGroups.NIST_3072);
        this.senderFingerprint = role == Role.SENDER ? localFingerprint : remoteFingerprint;
        this.receiverFingerprint = role == Role.SENDER ? remoteFingerprint : localFingerprint;
    }

    /** The first message. */
    public ObjectNode round1() {
        JPAKERound1Payload p = jpake.createRound1PayloadToSend();
        ObjectNode m = Json.message("pake1");
        m.put("gx1", hex(p.getGx1())).put("gx2", hex(p.getGx2()));
        m.set("zkp1", proof(p.getKnowledgeProofForX1()));
        m.set("zkp2", proof(p.getKnowledgeProofForX2()));
        return m;
    }

    /** The peer's {@code pake1}: returns this end's {@code pake2}. */
    public ObjectNode onRound1(JsonNode m) throws TransferException {
        try {
            jpake.validateRound1PayloadReceived(new JPAKERound1Payload(role.other().id(), number(m, "gx1"),
                    number(m, "gx2"), proof(m, "zkp1"), proof(m, "zkp2")));
        } catch (CryptoException | RuntimeException e) {
            throw Json.protocol("a key exchange message that does not validate (" + e.getMessage() + ")");
        }
        JPAKERound2Payload p = jpake.createRound2PayloadToSend();
        ObjectNode out = Json.message("pake2").put("a", hex(p.getA()));
        out.set("zkp", proof(p.getKnowledgeProofForX2s()));
        return out;
    }

    /** The peer's {@code pake2}: returns this end's {@code confirm}. */
    public ObjectNode onRound2(JsonNode m) throws TransferException {
        try {
            jpake.validateRound2PayloadReceived(new JPAKERound2Payload(role.other().id(), number(m, "a"),
                    proof(m, "zkp")));
        } catch (CryptoException | RuntimeException e) {
            throw Json.protocol("a key exchange message that does not validate (" + e.getMessage() + ")");
        }
        keyingMaterial = jpake.calculateKeyingMaterial();
        JPAKERound3Payload p = jpake.createRound3PayloadToSend(keyingMaterial);
        return Json.message("confirm").put("tag", hex(p.getMacTag()))
                .put("bind", Json.HEX.formatHex(bind(role)));
    }

    /**
     * The peer's {@code confirm}: returns normally when the peer knew the words and saw the same two
     * certificates; throws {@code WRONG_CODE} or {@code INTERCEPTED} otherwise.
     */
    public void onConfirm(JsonNode m) throws TransferException {
        if (keyingMaterial == null) {
            throw Json.protocol("confirm before pake2");
        }
        try {
            jpake.validateRound3PayloadReceived(new JPAKERound3Payload(role.other().id(), number(m, "tag")),
                    keyingMaterial);
        } catch (CryptoException e) {
            throw new TransferException(TransferException.Reason.WRONG_CODE,
                    "wrong code: the words do not match the sender's (nothing was transferred)");
        }
        byte[] theirs = Json.hex(m, "bind", 32);
        if (!MessageDigest.isEqual(theirs, bind(role.other()))) {
            throw new TransferException(TransferException.Reason.INTERCEPTED,
                    "the code matched but the two ends see different DTLS certificates: the connection may be "
                            + "intercepted (the server swapped fingerprints?); nothing was transferred");
        }
        confirmed = true;
    }

    /**
     * Proves the code on {@code link}'s control channel: returns when both ends proved it and saw the same two
     * certificates; throws {@code WRONG_CODE} or {@code INTERCEPTED} if not. The receiver speaks first: J-PAKE's
     * {@code pake1} for spoken words, a {@code proof} for a link's secret ({@link LinkAuth}); the sender, which
     * holds both, answers in kind.
     */
    public static void run(PeerLink link, Role role, TransferCode code, java.time.Duration timeout)
            throws TransferException, InterruptedException {
        String local = link.localFingerprint();
        String remote = link.remoteFingerprint();
        if (role == Role.RECEIVER && code.words() == null) {
            LinkAuth auth = new LinkAuth(role, code.secret(), local, remote);
            link.send(auth.proof());
            auth.check(expect(link, "proof", timeout));
            return;
        }
        JsonNode first = role == Role.SENDER ? link.next(timeout) : null;
        if (first != null && "proof".equals(Json.type(first))) {
            if (code.secret() == null) {
                throw new TransferException(TransferException.Reason.WRONG_CODE, "this sender has no link");
            }
            LinkAuth auth = new LinkAuth(role, code.secret(), local, remote);
            auth.check(first);
            link.send(auth.proof());
            return;
        }
        if (code.words() == null) {
            throw new TransferException(TransferException.Reason.WRONG_CODE,
                    "this end has a link and the other a spoken code: give both the same");
        }
        CodeAuth auth = new CodeAuth(role, code.words(), local, remote);
        link.send(auth.round1());
        link.send(auth.onRound1(first != null ? check(first, "pake1") : expect(link, "pake1", timeout)));
        link.send(auth.onRound2(expect(link, "pake2", timeout)));
        auth.onConfirm(expect(link, "confirm", timeout));
    }

    private static JsonNode check(JsonNode m, String type) throws TransferException {
        if (!type.equals(Json.type(m))) {
            throw Json.protocol("'" + Json.type(m) + "' where '" + type + "' was expected");
        }
        return m;
    }

    private static JsonNode expect(PeerLink link, String type, java.time.Duration timeout)
            throws TransferException, InterruptedException {
        return check(link.next(timeout), type);
    }

    /** Whether the peer's {@code confirm} checked out. */
    public boolean confirmed() {
        return confirmed;
    }

    /** HMAC-SHA256 under a key derived from J-PAKE's keying material, over the role and both fingerprints. */
    private byte[] bind(Role who) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(("rtc4j-transfer bind key "
                    + keyingMaterial.toString(16)).getBytes(StandardCharsets.US_ASCII));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(("rtc4j-transfer fingerprints\n" + who.id() + "\n" + senderFingerprint + "\n"
                    + receiverFingerprint).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256 or HmacSHA256", e);
        }
    }

    private static String hex(BigInteger n) {
        return n.toString(16);
    }

    private static ArrayNode proof(BigInteger[] p) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (BigInteger n : p) {
            a.add(hex(n));
        }
        return a;
    }

    private static BigInteger number(JsonNode m, String field) throws TransferException {
        return parse(Json.text(m, field, 2 * MAX_NUMBER));
    }

    private static BigInteger parse(String hex) throws TransferException {
        // A MAC tag is a signed number: it may start with '-'.
        String digits = hex.startsWith("-") ? hex.substring(1) : hex;
        if (digits.isEmpty() || hex.length() > 2 * MAX_NUMBER
                || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw Json.protocol("a key exchange number that is not hex");
        }
        return new BigInteger(hex, 16);
    }

    private static BigInteger[] proof(JsonNode m, String field) throws TransferException {
        JsonNode a = m.get(field);
        if (a == null || !a.isArray() || a.size() != 2) {
            throw Json.protocol("a key exchange proof that is not two numbers");
        }
        BigInteger[] out = new BigInteger[2];
        for (int i = 0; i < 2; i++) {
            if (!a.get(i).isTextual()) {
                throw Json.protocol("a key exchange proof that is not two numbers");
            }
            out[i] = parse(a.get(i).asText());
        }
        return out;
    }
}
