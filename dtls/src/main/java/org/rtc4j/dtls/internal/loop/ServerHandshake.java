package org.rtc4j.dtls.internal.loop;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.dtls.DtlsSrtpProfile;

/**
 * The server's flights (RFC 6347 section 4.2.4 figure 1), with no HelloVerifyRequest: ICE has already
 * proven the peer's address (consent, RFC 8445), so the cookie round trip buys nothing (RFC 6347 4.2.1
 * leaves it to the server). The client's certificate is required (RFC 8827 section 6.5).
 *
 * <pre>
 *   &lt;--  1 ClientHello
 *   2 ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone  --&gt;
 *   &lt;--  3 Certificate, ClientKeyExchange, CertificateVerify, [ChangeCipherSpec], Finished
 *   4 [ChangeCipherSpec], Finished  --&gt;
 * </pre>
 */
final class ServerHandshake extends Handshake {

    private int expected = CLIENT_HELLO;
    private PublicKey clientKey;

    ServerHandshake(DtlsSettings settings, byte[] certificate, PrivateKey key, RecordWriter out, Reassembler in,
            PeerCheck peerCheck) {
        super(settings, certificate, key, out, in, peerCheck);
    }

    /** The server waits for a ClientHello. */
    @Override
    void start(Instant now) {
    }

    private int ourSuite() {
        return ourKey.getAlgorithm().equals("EC") ? ECDHE_ECDSA_AES128_GCM : ECDHE_RSA_AES128_GCM;
    }

    @Override
    void onMessage(Instant now, Reassembler.Message m) throws Failure {
        if (m.type() != expected) {
            throw new Failure(UNEXPECTED_MESSAGE,
                    "unexpected handshake message " + m.type() + ", expected " + expected);
        }
        switch (m.type()) {
            case CLIENT_HELLO -> {
                clientHello(now, m);
                expected = CERTIFICATE;
            }
            case CERTIFICATE -> {
                clientKey = peerCertificate(m);
                hash(m);
                expected = CLIENT_KEY_EXCHANGE;
            }
            case CLIENT_KEY_EXCHANGE -> {
                byte[] point;
                try {
                    Wire.Reader r = new Wire.Reader(m.body());
                    point = r.opaque(1);
                    r.end();
                } catch (Wire.Malformed e) {
                    throw malformed("ClientKeyExchange", e);
                }
                byte[] preMaster;
                try {
                    preMaster = ecdhe.agree(point);
                } catch (Wire.Malformed e) {
                    throw new Failure(ILLEGAL_PARAMETER, "the client's ECDH point: " + e.getMessage());
                }
                hash(m);
                deriveKeys(preMaster, false);
                expected = CERTIFICATE_VERIFY;
            }
            case CERTIFICATE_VERIFY -> {
                try {
                    Wire.Reader r = new Wire.Reader(m.body());
                    int scheme = r.u16();
                    byte[] signature = r.opaque(2);
                    r.end();
                    if (!Signatures.verify(clientKey, scheme, signature, transcript())) {
                        throw new Failure(DECRYPT_ERROR, "the client's CertificateVerify does not verify");
                    }
                } catch (Wire.Malformed e) {
                    throw malformed("CertificateVerify", e);
                }
                hash(m);
                expected = FINISHED;
            }
            case FINISHED -> {
                checkFinished(m, true);
                newFlight();
                sendChangeCipherSpec();
                sendFinished(false);
                flush(now, false);    // kept: resent if the client sends its flight again
                finished = true;
                expected = -1;
            }
            default -> throw new Failure(UNEXPECTED_MESSAGE, "unexpected handshake message " + m.type());
        }
    }

    private void clientHello(Instant now, Reassembler.Message m) throws Failure {
        Hello.ClientHello hello;
        try {
            hello = Hello.ClientHello.read(m.body());
        } catch (Wire.Malformed e) {
            throw malformed("ClientHello", e);
        }
        // DTLS versions count down: 0xFEFD is 1.2, 0xFEFF 1.0 (RFC 6347 section 4.1).
        if (hello.version() > Hello.VERSION_DTLS12) {
            throw new Failure(PROTOCOL_VERSION, "the client does not offer DTLS 1.2");
        }
        int chosen = ourSuite();
        if (!Hello.contains(hello.suites(), chosen)) {
            throw new Failure(HANDSHAKE_FAILURE, "the client offers no cipher suite we take (we need 0x"
                    + Integer.toHexString(chosen) + ")");
        }
        Hello.Extensions e = hello.extensions();
        // RFC 8422 5.1.1: without the extension, any curve; ours in order: X25519, then P-256.
        int group = e.groups == null || Hello.contains(e.groups, Ecdhe.X25519) ? Ecdhe.X25519
                : Hello.contains(e.groups, Ecdhe.SECP256R1) ? Ecdhe.SECP256R1 : -1;
        if (group < 0) {
            throw new Failure(HANDSHAKE_FAILURE, "the client offers neither X25519 nor P-256");
        }
        if (!e.extendedMasterSecret) {
            throw new Failure(HANDSHAKE_FAILURE, "the client does not offer the extended master secret");
        }
        int scheme = Signatures.ours(ourKey, e.signatureAlgorithms);
        if (scheme < 0) {
            throw new Failure(HANDSHAKE_FAILURE, "the client accepts no signature our key can make");
        }
        int profile = 0;
        if (e.srtpProfiles != null) {
            for (DtlsSrtpProfile ours : settings.srtpProfiles()) {     // ours first (RFC 5764 4.1.3: server picks)
                if (Hello.contains(e.srtpProfiles, ours.id())) {
                    profile = ours.id();
                    srtpProfile = ours;
                    break;
                }
            }
        }
        if (ecdhe.group != group) {
            ecdhe = new Ecdhe(group);
        }
        clientRandom = hello.random();
        serverRandom = random();
        suite = chosen;
        hash(m);

        newFlight();
        send(0, SERVER_HELLO, Hello.ServerHello.write(serverRandom, chosen, profile, e.srtpMki, e.groups != null));
        send(0, CERTIFICATE, certificateBody());
        byte[] params = new Wire.Writer().u8(3).u16(group).opaque(1, ecdhe.publicPoint()).toArray();
        byte[] signature;
        try {
            signature = Signatures.sign(ourKey, scheme, clientRandom, serverRandom, params);
        } catch (GeneralSecurityException ex) {
            throw new Failure(HANDSHAKE_FAILURE, "signing failed: " + ex.getMessage());
        }
        send(0, SERVER_KEY_EXCHANGE, new Wire.Writer().bytes(params).u16(scheme).opaque(2, signature).toArray());
        // RFC 5246 7.4.4: ecdsa_sign(64), rsa_sign(1); the schemes we verify; no authorities (self-signed).
        Wire.Writer request = new Wire.Writer().u8(2).u8(64).u8(1);
        int list = request.open(2);
        for (int s : Signatures.SUPPORTED) {
            request.u16(s);
        }
        send(0, CERTIFICATE_REQUEST, request.close(list).u16(0).toArray());
        send(0, SERVER_HELLO_DONE, new byte[0]);
        flush(now, true);
    }
}
