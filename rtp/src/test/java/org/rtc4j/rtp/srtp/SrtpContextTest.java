package org.rtc4j.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Rollover, reordering, replay, tampering and per-SSRC state, for every profile. */
class SrtpContextTest {

    private static SrtpMasterKey key(SrtpProfile profile, int seed) {
        Random r = new Random(seed);
        byte[] k = new byte[profile.keyLength()];
        byte[] s = new byte[profile.saltLength()];
        r.nextBytes(k);
        r.nextBytes(s);
        return new SrtpMasterKey(profile, k, s);
    }

    static byte[] rtp(int seq, int ssrc, int payload, int fill) {
        byte[] p = new byte[12 + payload];
        p[0] = (byte) 0x80;
        p[1] = 111;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (ssrc >>> 24);
        p[9] = (byte) (ssrc >>> 16);
        p[10] = (byte) (ssrc >>> 8);
        p[11] = (byte) ssrc;
        Arrays.fill(p, 12, p.length, (byte) fill);
        return p;
    }

    private static byte[] protect(SrtpContext tx, byte[] plain) {
        byte[] buf = Arrays.copyOf(plain, plain.length + tx.profile().rtpOverhead());
        int n = tx.protectRtp(buf, 0, plain.length);
        assertThat(n).isEqualTo(buf.length);
        return buf;
    }

    private static int unprotect(SrtpContext rx, byte[] sealed) {
        return rx.unprotectRtp(sealed.clone(), 0, sealed.length);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripAtOffsetWithCsrcAndExtension(SrtpProfile profile) {
        SrtpContext tx = new SrtpContext(key(profile, 1));
        SrtpContext rx = new SrtpContext(key(profile, 1));
        byte[] plain = rtp(7, 0x1234, 40, 0x55);
        // Two CSRCs and a one-word extension: header of 12 + 8 + 8 bytes stays in the clear.
        byte[] withExt = new byte[plain.length + 16];
        System.arraycopy(plain, 0, withExt, 0, 12);
        withExt[0] = (byte) 0x92;
        withExt[20] = (byte) 0xBE;
        withExt[21] = (byte) 0xDE;
        withExt[23] = 1;
        System.arraycopy(plain, 12, withExt, 28, 40);
        byte[] buf = new byte[5 + withExt.length + profile.rtpOverhead() + 3];
        System.arraycopy(withExt, 0, buf, 5, withExt.length);
        int n = tx.protectRtp(buf, 5, withExt.length);
        assertThat(Arrays.copyOfRange(buf, 5, 5 + 28)).isEqualTo(Arrays.copyOf(withExt, 28));
        assertThat(Arrays.copyOfRange(buf, 5 + 28, 5 + withExt.length))
                .isNotEqualTo(Arrays.copyOfRange(withExt, 28, withExt.length));
        assertThat(rx.unprotectRtp(buf, 5, n)).isEqualTo(withExt.length);
        assertThat(Arrays.copyOfRange(buf, 5, 5 + withExt.length)).isEqualTo(withExt);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void sequenceWrapAdvancesTheRolloverCounterAndSurvivesReordering(SrtpProfile profile) {
        SrtpContext tx = new SrtpContext(key(profile, 2));
        SrtpContext rx = new SrtpContext(key(profile, 2));
        List<byte[]> sealed = new ArrayList<>();
        List<byte[]> plain = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int seq = (65_436 + i) & 0xFFFF;  // wraps after 100 packets
            byte[] p = rtp(seq, 42, 20, i);
            plain.add(p);
            sealed.add(protect(tx, p));
        }
        // Deliver with packets swapped around the wrap: 95..105 reversed.
        int[] order = new int[200];
        for (int i = 0; i < 200; i++) {
            order[i] = i;
        }
        for (int i = 0; i < 5; i++) {
            int t = order[95 + i];
            order[95 + i] = order[105 - i];
            order[105 - i] = t;
        }
        for (int i : order) {
            byte[] buf = sealed.get(i).clone();
            int n = rx.unprotectRtp(buf, 0, buf.length);
            assertThat(n).as("packet %d", i).isEqualTo(plain.get(i).length);
            assertThat(Arrays.copyOf(buf, n)).isEqualTo(plain.get(i));
        }
        // Packets from the second ROC are encrypted with ROC 1: a context that thinks ROC 0 cannot open them.
        assertThat(unprotect(new SrtpContext(key(profile, 2)), sealed.get(150))).isEqualTo(SrtpContext.DROPPED);
        assertThat(rx.authFailureCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void replaysAndPacketsOlderThanTheWindowAreDropped(SrtpProfile profile) {
        SrtpContext tx = new SrtpContext(key(profile, 3));
        SrtpContext rx = new SrtpContext(key(profile, 3));
        List<byte[]> sealed = new ArrayList<>();
        for (int seq = 0; seq < 300; seq++) {
            sealed.add(protect(tx, rtp(seq, 9, 10, seq)));
        }
        assertThat(unprotect(rx, sealed.get(0))).isPositive();
        assertThat(unprotect(rx, sealed.get(0))).isEqualTo(SrtpContext.DROPPED);
        assertThat(unprotect(rx, sealed.get(200))).isPositive();
        assertThat(unprotect(rx, sealed.get(73))).isPositive();         // inside the 128 window, late
        assertThat(unprotect(rx, sealed.get(73))).isEqualTo(SrtpContext.DROPPED);
        assertThat(unprotect(rx, sealed.get(72))).isEqualTo(SrtpContext.DROPPED); // 128 behind: too old
        assertThat(unprotect(rx, sealed.get(199))).isPositive();
        assertThat(rx.replayCount()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tamperedPacketsFailAuthenticationAndLeaveNoState(SrtpProfile profile) {
        SrtpContext tx = new SrtpContext(key(profile, 4));
        SrtpContext rx = new SrtpContext(key(profile, 4));
        byte[] sealed = protect(tx, rtp(1000, 77, 100, 1));
        for (int i = 0; i < sealed.length; i++) {
            if (i == 0) {
                continue;  // the version bits make it malformed instead
            }
            byte[] bad = sealed.clone();
            bad[i] ^= 0x10;
            assertThat(unprotect(rx, bad)).as("byte %d", i).isEqualTo(SrtpContext.DROPPED);
        }
        assertThat(rx.streamCount()).isZero();
        // A forged packet far ahead must not have moved the window: the real one still opens.
        assertThat(unprotect(rx, sealed)).isEqualTo(112);
        assertThat(rx.streamCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpRoundTripIndexAndReplay(SrtpProfile profile) {
        SrtpContext tx = new SrtpContext(key(profile, 5));
        SrtpContext rx = new SrtpContext(key(profile, 5));
        byte[] rtcp = new byte[28];
        rtcp[0] = (byte) 0x81;
        rtcp[1] = (byte) 200;
        rtcp[3] = 6;
        rtcp[7] = 5;
        List<byte[]> sealed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] buf = Arrays.copyOf(rtcp, rtcp.length + profile.rtcpOverhead());
            assertThat(tx.protectRtcp(buf, 0, rtcp.length)).isEqualTo(buf.length);
            sealed.add(buf);
        }
        assertThat(rx.unprotectRtcp(sealed.get(2).clone(), 0, sealed.get(2).length)).isEqualTo(28);
        byte[] first = sealed.get(0).clone();
        assertThat(rx.unprotectRtcp(first, 0, first.length)).isEqualTo(28);
        assertThat(first).startsWith(rtcp);
        assertThat(rx.unprotectRtcp(sealed.get(0).clone(), 0, sealed.get(0).length)).isEqualTo(SrtpContext.DROPPED);
        assertThat(rx.replayCount()).isEqualTo(1);
    }

    @Test
    void newSsrcsAreBoundedAndMalformedInputIsCounted() {
        SrtpProfile profile = SrtpProfile.AEAD_AES_128_GCM;
        SrtpContext tx = new SrtpContext(key(profile, 6), 8);
        SrtpContext rx = new SrtpContext(key(profile, 6), 2);
        for (int ssrc = 1; ssrc <= 3; ssrc++) {
            int n = unprotect(rx, protect(tx, rtp(1, ssrc, 10, 0)));
            assertThat(n).isEqualTo(ssrc <= 2 ? 22 : SrtpContext.DROPPED);
        }
        assertThat(rx.streamLimitCount()).isEqualTo(1);
        assertThat(rx.unprotectRtp(new byte[5], 0, 5)).isEqualTo(SrtpContext.DROPPED);
        assertThat(rx.unprotectRtp(new byte[40], 0, 40)).isEqualTo(SrtpContext.DROPPED); // version 0
        assertThat(rx.unprotectRtp(new byte[40], 30, 20)).isEqualTo(SrtpContext.DROPPED); // past the end
        byte[] ext = rtp(1, 1, 10, 0);
        ext[0] = (byte) 0x9F;  // 15 CSRCs that are not there
        assertThat(rx.unprotectRtp(ext, 0, ext.length)).isEqualTo(SrtpContext.DROPPED);
        assertThat(rx.unprotectRtcp(new byte[12], 0, 12)).isEqualTo(SrtpContext.DROPPED);
        assertThat(rx.malformedCount()).isEqualTo(5);
    }

    @Test
    void protectRefusesBuffersWithoutRoomForTheTag() {
        SrtpContext tx = new SrtpContext(key(SrtpProfile.AES_CM_128_HMAC_SHA1_80, 7));
        byte[] p = rtp(1, 1, 10, 0);
        assertThatThrownBy(() -> tx.protectRtp(p, 0, p.length)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dtlsKeyingMaterialSplitsIntoMatchingHalves() {
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        SrtpMasterKey clientSend = SrtpMasterKey.fromDtlsKeyingMaterial(profile, material, true, true);
        SrtpMasterKey serverReceive = SrtpMasterKey.fromDtlsKeyingMaterial(profile, material, false, false);
        SrtpMasterKey serverSend = SrtpMasterKey.fromDtlsKeyingMaterial(profile, material, false, true);
        assertThat(clientSend.key()).isEqualTo(serverReceive.key()).startsWith(0, 1, 2);
        assertThat(clientSend.salt()).isEqualTo(serverReceive.salt()).startsWith(32, 33);
        assertThat(serverSend.key()).startsWith(16, 17);
        assertThat(serverSend.salt()).startsWith(46, 47);
        assertThat(SrtpProfile.fromDtlsId(7)).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
    }
}
