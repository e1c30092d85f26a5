package org.rtc4j.dtls.internal.loop;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.dtls.DtlsSrtpProfile;

/**
 * The client's flights (RFC 6347 section 4.2.4 figure 1; RFC 5246 7.3; RFC 8422 for ECDHE):
 *
 * <pre>
 *   1 ClientHello                       -->
 *                                       &lt;--  2 HelloVerifyRequest (optional)
 *   3 ClientHello (with cookie)         -->
 *                                       &lt;--  4 ServerHello, Certificate, ServerKeyExchange,
 *                                              CertificateRequest, ServerHelloDone
 *   5 Certificate, ClientKeyExchange,
 *     CertificateVerify, [ChangeCipherSpec], Finished  -->
 *                                       &lt;--  6 [ChangeCipherSpec], Finished
 * </pre>
 */
final class ClientHandshake extends Handshake {

    private final int[] suites;
    private byte[] cookie = new byte[0];
    private int expected = SERVER_HELLO;
    private PublicKey serverKey;
    private byte[] serverPoint;
    private int[] requestedSignatures;
    private boolean certificateRequested;

    ClientHandshake(DtlsSettings settings, byte[] certificate, PrivateKey key, RecordWriter out, Reassembler in,
            PeerCheck peerCheck) {
        super(settings, certificate, key, out, in, peerCheck);
        this.suites = new int[] {ECDHE_ECDSA_AES128_GCM, ECDHE_RSA_AES128_GCM};
    }

    @Override
    void start(Instant now) {
        clientRandom = random();
        sendHello(now);
    }

    private void sendHello(Instant now) {
        newFlight();
        byte[] body = new Hello.ClientHello(Hello.VERSION_DTLS12, clientRandom, cookie, suites, null)
                .write(new int[] {Ecdhe.X25519, Ecdhe.SECP256R1}, Signatures.SUPPORTED, srtpProfileIds());
        send(0, CLIENT_HELLO, body);
        flush(now, true);
    }

    @Override
    void onMessage(Instant now, Reassembler.Message m) throws Failure {
        int type = m.type();
        if (type == HELLO_VERIFY_REQUEST && expected == SERVER_HELLO && cookie.length == 0) {
            try {
                cookie = Hello.readCookie(m.body());
            } catch (Wire.Malformed e) {
                throw malformed("HelloVerifyRequest", e);
            }
            resetTranscript();
            sendHello(now);
            return;
        }
        if (type == CERTIFICATE_REQUEST && expected == SERVER_HELLO_DONE && !certificateRequested) {
            certificateRequest(m);
            hash(m);
            return;
        }
        if (type != expected) {
            throw new Failure(UNEXPECTED_MESSAGE, "unexpected handshake message " + type + ", expected " + expected);
        }
        switch (type) {
            case SERVER_HELLO -> {
                serverHello(m);
                expected = CERTIFICATE;
            }
            case CERTIFICATE -> {
                serverKey = peerCertificate(m);
                expected = SERVER_KEY_EXCHANGE;
            }
            case SERVER_KEY_EXCHANGE -> {
                serverKeyExchange(m);
                expected = SERVER_HELLO_DONE;
            }
            case SERVER_HELLO_DONE -> {
                if (m.body().length != 0) {
                    throw new Failure(DECODE_ERROR, "ServerHelloDone with a body");
                }
                hash(m);
                sendSecondFlight(now);
                expected = FINISHED;
                return;
            }
            case FINISHED -> {
                checkFinished(m, false);
                stopTimer();
                finished = true;
                expected = -1;
                return;
            }
            default -> throw new Failure(UNEXPECTED_MESSAGE, "unexpected handshake message " + type);
        }
        hash(m);
    }

    private void serverHello(Reassembler.Message m) throws Failure {
        Hello.ServerHello hello;
        try {
            hello = Hello.ServerHello.read(m.body());
        } catch (Wire.Malformed e) {
            throw malformed("ServerHello", e);
        }
        if (hello.version() != Hello.VERSION_DTLS12) {
            throw new Failure(PROTOCOL_VERSION, "the server chose a version other than DTLS 1.2");
        }
        if (!Hello.contains(suites, hello.suite())) {
            throw new Failure(ILLEGAL_PARAMETER, "the server chose a cipher suite we did not offer");
        }
        Hello.Extensions e = hello.extensions();
        if (!e.extendedMasterSecret) {
            // RFC 7627 section 5.3: we abort rather than go on without it.
            throw new Failure(HANDSHAKE_FAILURE, "the server does not use the extended master secret");
        }
        if (e.srtpProfiles != null) {
            // RFC 5764 4.1.1: exactly one profile, one we offered.
            if (e.srtpProfiles.length != 1 || !Hello.contains(srtpProfileIds(), e.srtpProfiles[0])) {
                throw new Failure(ILLEGAL_PARAMETER, "the server chose an SRTP profile we did not offer");
            }
            srtpProfile = DtlsSrtpProfile.fromId(e.srtpProfiles[0]);
        }
        suite = hello.suite();
        serverRandom = hello.random();
    }

    /**
     * RFC 8422 5.4: curve_type[1]=3 named_curve[2] public&lt;1..255&gt;, then the signature scheme[2] and
     * signature&lt;0..2^16-1&gt; over client_random + server_random + those params.
     */
    private void serverKeyExchange(Reassembler.Message m) throws Failure {
        byte[] body = m.body();
        try {
            Wire.Reader r = new Wire.Reader(body);
            int curveType = r.u8();
            int group = r.u16();
            if (curveType != 3 || group != Ecdhe.X25519 && group != Ecdhe.SECP256R1) {
                throw new Failure(ILLEGAL_PARAMETER, "the server chose a group we did not offer");
            }
            serverPoint = r.opaque(1);
            int paramsLength = body.length - r.left();
            int scheme = r.u16();
            byte[] signature = r.opaque(2);
            r.end();
            byte[] params = java.util.Arrays.copyOf(body, paramsLength);
            if (!Signatures.verify(serverKey, scheme, signature, clientRandom, serverRandom, params)) {
                throw new Failure(DECRYPT_ERROR, "the server's key exchange signature does not verify");
            }
            if (ecdhe.group != group) {
                ecdhe = new Ecdhe(group);
            }
        } catch (Wire.Malformed e) {
            throw malformed("ServerKeyExchange", e);
        }
    }

    /** RFC 5246 7.4.4: certificate_types&lt;1..255&gt;, signature schemes&lt;2..2^16-2&gt;, authorities. */
    private void certificateRequest(Reassembler.Message m) throws Failure {
        try {
            Wire.Reader r = new Wire.Reader(m.body());
            r.opaque(1);
            Wire.Reader schemes = r.vector(2);
            int[] s = new int[schemes.left() / 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = schemes.u16();
            }
            r.vector(2);
            r.end();
            requestedSignatures = s;
            certificateRequested = true;
        } catch (Wire.Malformed e) {
            throw malformed("CertificateRequest", e);
        }
    }

    private void sendSecondFlight(Instant now) throws Failure {
        byte[] preMaster;
        try {
            preMaster = ecdhe.agree(serverPoint);
        } catch (Wire.Malformed e) {
            throw new Failure(ILLEGAL_PARAMETER, "the server's ECDH point: " + e.getMessage());
        }
        newFlight();
        if (certificateRequested) {
            send(0, CERTIFICATE, certificateBody());
        }
        send(0, CLIENT_KEY_EXCHANGE, new Wire.Writer().opaque(1, ecdhe.publicPoint()).toArray());
        deriveKeys(preMaster, true);
        if (certificateRequested) {
            int scheme = Signatures.ours(ourKey, requestedSignatures);
            if (scheme < 0) {
                throw new Failure(HANDSHAKE_FAILURE, "the server accepts no signature our key can make");
            }
            try {
                byte[] signature = Signatures.sign(ourKey, scheme, transcript());
                send(0, CERTIFICATE_VERIFY, new Wire.Writer().u16(scheme).opaque(2, signature).toArray());
            } catch (GeneralSecurityException e) {
                throw new Failure(HANDSHAKE_FAILURE, "signing failed: " + e.getMessage());
            }
        }
        sendChangeCipherSpec();
        sendFinished(true);
        flush(now, true);
    }
}
