package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.RTCSettings;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.dtls.DtlsConnection;
import org.rtc4j.dtls.DtlsRole;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.ice.IceCredentials;
import org.rtc4j.ice.stun.StunAttribute;
import org.rtc4j.ice.stun.StunClass;
import org.rtc4j.ice.stun.StunKey;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.StunMethod;
import org.rtc4j.testkit.sim.SimEndpoint;

/**
 * Issue 18, "a second validated remote that forges DTLS": someone who read the SDP (so knows both ends' ICE
 * credentials) passes ICE's checks from an address of its own, then sends a ClientHello of its own and a
 * fatal alert while the real handshake runs. The association stays bound to the real peer: the call opens,
 * and what came from the other address is dropped and counted.
 */
class PeerStackForgedDtlsTest {

    @Test
    void aSecondValidatedRemoteCannotJoinOrEndTheHandshake() throws Exception {
        PeerStackSimulationTest.Call call = new PeerStackSimulationTest.Call(1818, RTCSettings.defaults());
        // 20 ms between the peers (Mallory is nearer): the handshake, on the virtual clock since it runs on the
        // loop, is still under way when Mallory's records come.
        call.impair(0);
        SimEndpoint mallory = call.pump.network().endpoint(TransportAddress.parse(Transport.UDP, "10.0.0.66:4444"));
        IceCredentials a = call.a.ice().localCredentials();
        IceCredentials b = call.b.ice().localCredentials();
        TransportAddress target = call.pb.address();   // B: the DTLS server, ICE controlled

        // Checks to B as if from A, with B's password from the SDP; B's checks back are answered with A's.
        mallory.send(target, StunMessage.request(StunMethod.BINDING)
                .add(StunAttribute.username(b.ufrag() + ":" + a.ufrag())).add(StunAttribute.priority(1000))
                .add(StunAttribute.iceControlling(7)).integrity(StunKey.shortTerm(b.password())).fingerprint()
                .build().toBytes());
        call.pump.runFor(Duration.ofMillis(5));
        answerChecks(mallory, a.password());
        call.pump.runFor(Duration.ofMillis(5));
        assertThat(call.b.ice().remoteCandidates()).anyMatch(c -> c.address().equals("10.0.0.66"));

        // Mallory's own ClientHello (a real one, from a handshake of its own) and a fatal alert, before and
        // while the real handshake runs.
        byte[] hello = clientHello();
        byte[] userCanceled = {21, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 3, 0, 2, 2, 90};
        mallory.send(target, hello);
        mallory.send(target, userCanceled);
        call.pump.runFor(Duration.ofMillis(2));
        assertThat(call.b.channels()).as("still handshaking").isNull();
        for (int i = 0; i < 20 && call.b.channels() == null; i++) {
            mallory.send(target, userCanceled);
            mallory.send(target, hello);
            call.pump.runFor(Duration.ofMillis(1));
            answerChecks(mallory, a.password());
        }

        call.connect();
        assertThat(call.b.foreignDtls()).isGreaterThanOrEqualTo(2);
        assertThat(call.a.foreignDtls()).isZero();
    }

    /** Answers the binding requests Mallory received, as A would (integrity with A's password). */
    private static void answerChecks(SimEndpoint mallory, String password) throws Exception {
        for (var d : mallory.takeReceived()) {
            byte[] bytes = d.data();
            if (!StunMessage.isStun(ByteBuffer.wrap(bytes))) {
                continue;
            }
            StunMessage m = StunMessage.parse(bytes);
            if (m.messageClass() == StunClass.REQUEST) {
                mallory.send(d.source(), m.successResponse()
                        .add(StunAttribute.xorMappedAddress(d.source().ip(), d.source().port()))
                        .integrity(StunKey.shortTerm(password)).fingerprint().build().toBytes());
            }
        }
    }

    /** The first flight of a DTLS client of Mallory's own. */
    private static byte[] clientHello() throws InterruptedException {
        DtlsConnection own = new DtlsConnection(DtlsRole.CLIENT, DtlsCertificate.generate(), DtlsSettings.defaults());
        own.setRemoteFingerprints(List.of(DtlsCertificate.generate().fingerprint()));
        own.start(Instant.now());
        try {
            for (int i = 0; i < 5_000; i++) {
                ByteBuffer t = own.pollTransmit();
                if (t != null) {
                    byte[] out = new byte[t.remaining()];
                    t.get(out);
                    return out;
                }
                Thread.sleep(1);
            }
            throw new AssertionError("no ClientHello");
        } finally {
            own.close();
        }
    }
}
