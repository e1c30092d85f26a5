package org.rtc4j.transfer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.rtc4j.transfer.TransferCode;
import org.rtc4j.transfer.TransferException;

/** The key exchange without a network: messages handed across directly. */
class CodeAuthTest {

    static final String SENDER_FP = "sha-256 AA:BB";
    static final String RECEIVER_FP = "sha-256 CC:DD";

    @Test
    void theSameWordsAndCertificatesConfirm() throws Exception {
        CodeAuth s = new CodeAuth(CodeAuth.Role.SENDER, "pepper-tiger", SENDER_FP, RECEIVER_FP);
        CodeAuth r = new CodeAuth(CodeAuth.Role.RECEIVER, "pepper-tiger", RECEIVER_FP, SENDER_FP);
        exchange(s, r);
        assertThat(s.confirmed()).isTrue();
        assertThat(r.confirmed()).isTrue();
    }

    @Test
    void otherWordsAreAWrongCode() throws Exception {
        CodeAuth s = new CodeAuth(CodeAuth.Role.SENDER, "pepper-tiger", SENDER_FP, RECEIVER_FP);
        CodeAuth r = new CodeAuth(CodeAuth.Role.RECEIVER, "pepper-zebra", RECEIVER_FP, SENDER_FP);
        ObjectNode s1 = s.round1();
        ObjectNode r1 = r.round1();
        ObjectNode s2 = s.onRound1(r1);
        ObjectNode r2 = r.onRound1(s1);
        ObjectNode sc = s.onRound2(r2);
        ObjectNode rc = r.onRound2(s2);
        assertThatThrownBy(() -> r.onConfirm(sc)).isInstanceOfSatisfying(TransferException.class,
                e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.WRONG_CODE));
        assertThatThrownBy(() -> s.onConfirm(rc)).isInstanceOfSatisfying(TransferException.class,
                e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.WRONG_CODE));
    }

    @Test
    void swappedFingerprintsAreCaughtEvenWithTheRightWords() throws Exception {
        // A man in the middle: the sender sees the attacker's certificate where the receiver's should be.
        CodeAuth s = new CodeAuth(CodeAuth.Role.SENDER, "pepper-tiger", SENDER_FP, "sha-256 EE:EE");
        CodeAuth r = new CodeAuth(CodeAuth.Role.RECEIVER, "pepper-tiger", RECEIVER_FP, "sha-256 FF:FF");
        ObjectNode s1 = s.round1();
        ObjectNode r1 = r.round1();
        ObjectNode s2 = s.onRound1(r1);
        ObjectNode r2 = r.onRound1(s1);
        ObjectNode sc = s.onRound2(r2);
        ObjectNode rc = r.onRound2(s2);
        assertThatThrownBy(() -> r.onConfirm(sc)).hasMessageContaining("may be intercepted");
        assertThatThrownBy(() -> s.onConfirm(rc)).hasMessageContaining("may be intercepted");
    }

    @Test
    void aReflectedConfirmIsRefused() throws Exception {
        CodeAuth s = new CodeAuth(CodeAuth.Role.SENDER, "pepper-tiger", SENDER_FP, RECEIVER_FP);
        CodeAuth r = new CodeAuth(CodeAuth.Role.RECEIVER, "pepper-tiger", RECEIVER_FP, SENDER_FP);
        ObjectNode s1 = s.round1();
        ObjectNode r1 = r.round1();
        s.onRound1(r1);
        ObjectNode r2 = r.onRound1(s1);
        ObjectNode sc = s.onRound2(r2);
        assertThatThrownBy(() -> s.onConfirm(sc)).isInstanceOf(TransferException.class);
    }

    @Test
    void garbageIsAProtocolError() {
        CodeAuth s = new CodeAuth(CodeAuth.Role.SENDER, "pepper-tiger", SENDER_FP, RECEIVER_FP);
        s.round1();
        ObjectNode bad = Json.message("pake1").put("gx1", "zz").put("gx2", "1".repeat(5000));
        assertThatThrownBy(() -> s.onRound1(bad)).isInstanceOfSatisfying(TransferException.class,
                e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.PROTOCOL));
    }

    @Test
    void codesParseAndPrint() {
        TransferCode c = TransferCode.parse(" 7-Pepper-Tiger ");
        assertThat(c.nameplate()).isEqualTo(7);
        assertThat(c.toString()).isEqualTo("7-pepper-tiger");
        assertThatThrownBy(() -> TransferCode.parse("7-pepper-notaword")).hasMessageContaining("notaword");
        assertThatThrownBy(() -> TransferCode.parse("pepper-tiger")).hasMessageContaining("number");
        assertThatThrownBy(() -> TransferCode.parse("0-pepper-tiger")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void exchange(CodeAuth s, CodeAuth r) throws Exception {
        ObjectNode s1 = s.round1();
        ObjectNode r1 = r.round1();
        ObjectNode s2 = s.onRound1(r1);
        ObjectNode r2 = r.onRound1(s1);
        ObjectNode sc = s.onRound2(r2);
        ObjectNode rc = r.onRound2(s2);
        r.onConfirm(sc);
        s.onConfirm(rc);
    }
}
