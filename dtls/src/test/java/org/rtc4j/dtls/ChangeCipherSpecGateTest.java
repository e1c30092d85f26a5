package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;
import org.rtc4j.dtls.internal.ChangeCipherSpecGate;

class ChangeCipherSpecGateTest {

    /** One plaintext handshake record holding one whole message of {@code type} with {@code length} bytes. */
    private static byte[] handshake(int type, int length) {
        byte[] r = new byte[13 + 12 + length];
        r[0] = 22;
        r[1] = (byte) 0xFE;
        r[2] = (byte) 0xFD;
        Bytes.putU16(r, 11, 12 + length);
        r[13] = (byte) type;
        Bytes.putU24(r, 14, length);
        Bytes.putU24(r, 22, length);
        return r;
    }

    private static final byte[] CCS = {20, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};

    @Test
    void aChangeCipherSpecAheadOfALostCertificateVerifyIsHeldBack() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate(32 * 1024);
        byte[] certificate = handshake(11, 300);
        byte[] keyExchange = handshake(16, 33);
        assertThat(gate.admit(certificate, certificate.length)).isEqualTo(certificate.length);
        assertThat(gate.admit(keyExchange, keyExchange.length)).isEqualTo(keyExchange.length);
        assertThat(gate.admit(CCS, CCS.length)).isZero();            // CertificateVerify was lost
        byte[] verify = handshake(15, 72);
        byte[] flight = new byte[verify.length + CCS.length];
        System.arraycopy(verify, 0, flight, 0, verify.length);
        System.arraycopy(CCS, 0, flight, verify.length, CCS.length);
        assertThat(gate.admit(flight, flight.length)).isEqualTo(flight.length);   // the retransmission
        assertThat(gate.admit(CCS, CCS.length)).isEqualTo(CCS.length);
    }

    @Test
    void aFragmentedCertificateMustBeComplete() {
        ChangeCipherSpecGate gate = new ChangeCipherSpecGate(32 * 1024);
        byte[] firstHalf = handshake(11, 100);
        Bytes.putU24(firstHalf, 14, 200);        // message of 200 bytes, this fragment covers 0..100
        gate.admit(firstHalf, firstHalf.length);
        byte[] ke = handshake(16, 33);
        byte[] cv = handshake(15, 72);
        gate.admit(ke, ke.length);
        gate.admit(cv, cv.length);
        assertThat(gate.admit(CCS, CCS.length)).isZero();
        byte[] secondHalf = handshake(11, 100);
        Bytes.putU24(secondHalf, 14, 200);
        Bytes.putU24(secondHalf, 19, 100);       // fragment offset 100
        gate.admit(secondHalf, secondHalf.length);
        assertThat(gate.admit(CCS, CCS.length)).isEqualTo(CCS.length);
    }
}
