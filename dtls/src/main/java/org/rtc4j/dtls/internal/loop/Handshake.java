package org.rtc4j.dtls.internal.loop;

import java.io.ByteArrayOutputStream;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.dtls.DtlsSrtpProfile;

/**
 * What the client and server handshakes share (RFC 6347 section 4.2): the transcript, our flights and their
 * retransmission timer (4.2.4: doubled on each resend, up to 60 s), the keys once the master secret is known.
 * Subclasses take the peer's messages in order ({@link #onMessage}) and send their flights.
 */
abstract class Handshake {

    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;
    static final int HELLO_VERIFY_REQUEST = 3;
    static final int CERTIFICATE = 11;
    static final int SERVER_KEY_EXCHANGE = 12;
    static final int CERTIFICATE_REQUEST = 13;
    static final int SERVER_HELLO_DONE = 14;
    static final int CERTIFICATE_VERIFY = 15;
    static final int CLIENT_KEY_EXCHANGE = 16;
    static final int FINISHED = 20;

    /** TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 and its RSA twin (RFC 5289): what WebRTC peers agree on. */
    static final int ECDHE_ECDSA_AES128_GCM = 0xC02B;
    static final int ECDHE_RSA_AES128_GCM = 0xC02F;

    /** Alert descriptions (RFC 5246 section 7.2). */
    static final int HANDSHAKE_FAILURE = 40;
    static final int BAD_CERTIFICATE = 42;
    static final int ILLEGAL_PARAMETER = 47;
    static final int DECODE_ERROR = 50;
    static final int DECRYPT_ERROR = 51;
    static final int PROTOCOL_VERSION = 70;
    static final int UNEXPECTED_MESSAGE = 10;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration MAX_RESEND = Duration.ofSeconds(60);

    /** The handshake cannot go on: {@code alert} to send, {@code reason} in words. */
    static final class Failure extends Exception {
        final int alert;

        Failure(int alert, String reason) {
            super(reason, null, false, false);
            this.alert = alert;
        }
    }

    /** A message of ours kept for resending: handshake (type >= 0) or ChangeCipherSpec (type -1). */
    private record Outgoing(int epoch, int type, int seq, byte[] body) {
    }

    final DtlsSettings settings;
    final byte[] ourCertificate;
    final PrivateKey ourKey;
    final RecordWriter out;
    final Reassembler in;
    final PeerCheck peerCheck;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private final List<Outgoing> flight = new ArrayList<>();
    private boolean flightOpen;
    private int sendSeq;
    private Duration resend;
    private Instant resendAt;
    private Instant lastSent;
    Ecdhe ecdhe;
    byte[] clientRandom;
    byte[] serverRandom;
    byte[] master;
    int suite = -1;
    DtlsSrtpProfile srtpProfile;
    RecordProtection protection;
    /** Both Finished messages are through: the handshake is complete on our side. */
    boolean finished;
    /** Our own Finished is written: the epoch-1 keys are in use for sending. */
    boolean finishedSent;
    /** The peer's certificate as parsed from its Certificate message (Connected hands it on, not parsed again). */
    X509Certificate peerX509;

    /** Checks the peer's certificate against the remote fingerprints (possibly later, when they arrive). */
    interface PeerCheck {
        void certificate(byte[] der) throws Failure;
    }

    Handshake(DtlsSettings settings, byte[] ourCertificate, PrivateKey ourKey, RecordWriter out, Reassembler in,
            PeerCheck peerCheck) {
        this.settings = settings;
        this.ourCertificate = ourCertificate;
        this.ourKey = ourKey;
        this.out = out;
        this.in = in;
        this.peerCheck = peerCheck;
        this.resend = settings.initialResendTimeout();
        // Made when the connection is (or taken ready-made, DtlsConnection.prepareKeyExchange): X25519, what
        // browsers offer first.
        this.ecdhe = new Ecdhe(Ecdhe.X25519);
    }

    abstract void start(Instant now);

    /** The peer's next message, in order. */
    abstract void onMessage(Instant now, Reassembler.Message m) throws Failure;

    static byte[] random() {
        byte[] r = new byte[32];
        RANDOM.nextBytes(r);
        return r;
    }

    /** Adds a message to the transcript (in its unfragmented DTLS form, RFC 6347 section 4.2.6). */
    final void hash(int type, int seq, byte[] body) {
        int n = body.length;
        transcript.write(type);
        transcript.write(n >>> 16);
        transcript.write(n >>> 8);
        transcript.write(n);
        transcript.write(seq >>> 8);
        transcript.write(seq);
        transcript.writeBytes(new byte[] {0, 0, 0});
        transcript.write(n >>> 16);
        transcript.write(n >>> 8);
        transcript.write(n);
        transcript.writeBytes(body);
    }

    final void hash(Reassembler.Message m) {
        hash(m.type(), m.seq(), m.body());
    }

    final byte[] transcript() {
        return transcript.toByteArray();
    }

    final byte[] transcriptHash() {
        return KeySchedule.sha256(transcript.toByteArray());
    }

    /** Forgets the transcript (a ClientHello answered by HelloVerifyRequest is not part of it, 4.2.1). */
    final void resetTranscript() {
        transcript.reset();
    }

    /** Starts a new flight: the previous one is no longer resent. */
    final void newFlight() {
        flight.clear();
        flightOpen = true;
    }

    /** Adds a handshake message of ours to the flight and the transcript. */
    final void send(int epoch, int type, byte[] body) {
        int seq = sendSeq++;
        hash(type, seq, body);
        flight.add(new Outgoing(epoch, type, seq, body));
    }

    final void sendChangeCipherSpec() {
        flight.add(new Outgoing(0, -1, -1, null));
    }

    /** Sends the flight; {@code awaitReply} starts the resend timer (the last flight of all has none). */
    final void flush(Instant now, boolean awaitReply) {
        flightOpen = false;
        transmit(now);
        resend = settings.initialResendTimeout();
        resendAt = awaitReply ? now.plus(resend) : null;
    }

    private void transmit(Instant now) {
        for (Outgoing o : flight) {
            if (o.type() < 0) {
                out.record(20, 0, new byte[] {1}, 0, 1);
            } else {
                out.handshake(o.epoch(), o.type(), o.seq(), o.body());
            }
        }
        out.flush();
        lastSent = now;
    }

    /** When the flight is to be resent, or null. */
    final Instant resendAt() {
        return resendAt;
    }

    /** The resend timer fired: the flight again, and the timer doubled (RFC 6347 4.2.4.1). */
    final void onResendTimer(Instant now) {
        if (resendAt == null || now.isBefore(resendAt) || flight.isEmpty() || flightOpen) {
            return;
        }
        transmit(now);
        Duration doubled = resend.multipliedBy(2);
        resend = doubled.compareTo(MAX_RESEND) > 0 ? MAX_RESEND : doubled;
        resendAt = now.plus(resend);
    }

    /**
     * The peer sent again a flight we have answered: it lost ours, so ours goes again (RFC 6347 4.2.4), at most
     * once per half the initial timeout (a flight of several datagrams must not make as many of ours).
     */
    final void onPeerResent(Instant now) {
        if (flight.isEmpty() || flightOpen || lastSent == null
                || now.isBefore(lastSent.plus(settings.initialResendTimeout().dividedBy(2)))) {
            return;
        }
        transmit(now);
    }

    /** Stops resending (the handshake is over, or failed). */
    final void stopTimer() {
        resendAt = null;
    }

    /** Master secret and record keys once the ClientKeyExchange is in the transcript (RFC 7627, RFC 5246 6.3). */
    final void deriveKeys(byte[] preMaster, boolean client) {
        master = KeySchedule.extendedMasterSecret(preMaster, transcriptHash());
        Arrays.fill(preMaster, (byte) 0);
        byte[] block = KeySchedule.keyBlock(master, clientRandom, serverRandom, 40);
        byte[] clientKey = Arrays.copyOfRange(block, 0, 16);
        byte[] serverKey = Arrays.copyOfRange(block, 16, 32);
        byte[] clientSalt = Arrays.copyOfRange(block, 32, 36);
        byte[] serverSalt = Arrays.copyOfRange(block, 36, 40);
        protection = client ? new RecordProtection(clientKey, clientSalt, serverKey, serverSalt)
                : new RecordProtection(serverKey, serverSalt, clientKey, clientSalt);
        out.protect(protection);
    }

    /** Checks the peer's Finished against the transcript so far, then adds it. */
    final void checkFinished(Reassembler.Message m, boolean fromClient) throws Failure {
        byte[] expected = KeySchedule.finished(master, fromClient, transcriptHash());
        if (!java.security.MessageDigest.isEqual(expected, m.body())) {
            throw new Failure(DECRYPT_ERROR, "the peer's Finished does not match: keys or transcript differ");
        }
        hash(m);
    }

    /** Our Finished over the transcript so far, in epoch 1. */
    final void sendFinished(boolean client) {
        send(1, FINISHED, KeySchedule.finished(master, client, transcriptHash()));
        finishedSent = true;
    }

    /** RFC 5246 7.4.2: certificate_list&lt;0..2^24-1&gt; of ASN.1Cert&lt;1..2^24-1&gt;; ours is one self-signed. */
    final byte[] certificateBody() {
        return new Wire.Writer().u24(ourCertificate.length + 3).opaque(3, ourCertificate).toArray();
    }

    /** The peer's end-entity certificate from its Certificate message, checked against the fingerprints. */
    final PublicKey peerCertificate(Reassembler.Message m) throws Failure {
        byte[] der;
        try {
            Wire.Reader list = new Wire.Reader(m.body()).vector(3);
            if (list.left() == 0) {
                throw new Failure(HANDSHAKE_FAILURE, "the peer sent no certificate");
            }
            der = list.opaque(3);
        } catch (Wire.Malformed e) {
            throw new Failure(DECODE_ERROR, "malformed Certificate: " + e.getMessage());
        }
        X509Certificate cert;
        try {
            cert = Signatures.certificate(der);
        } catch (Wire.Malformed e) {
            throw new Failure(BAD_CERTIFICATE, e.getMessage());
        }
        peerCheck.certificate(der);
        peerX509 = cert;
        return cert.getPublicKey();
    }

    /** The exported DTLS-SRTP keying material (RFC 5764 4.2), or null without a profile. */
    final byte[] srtpKeyingMaterial() {
        return srtpProfile == null ? null : KeySchedule.export(master, "EXTRACTOR-dtls_srtp", clientRandom,
                serverRandom, srtpProfile.keyingMaterialLength());
    }

    final int[] srtpProfileIds() {
        return settings.srtpProfiles().stream().mapToInt(DtlsSrtpProfile::id).toArray();
    }

    static Failure malformed(String what, Wire.Malformed e) {
        return new Failure(DECODE_ERROR, "malformed " + what + ": " + e.getMessage());
    }
}
