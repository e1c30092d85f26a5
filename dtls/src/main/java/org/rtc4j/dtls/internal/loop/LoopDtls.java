package org.rtc4j.dtls.internal.loop;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.dtls.DtlsFingerprint;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.dtls.DtlsState;
import org.rtc4j.dtls.internal.KeyLog;

/**
 * DTLS 1.2 driven entirely from the caller's thread (sans-IO, as the other engines): datagrams in, datagrams
 * out, timers from the {@code now} passed in. The handshake is ours ({@link ClientHandshake},
 * {@link ServerHandshake}); the cryptography is the JDK's (SunEC, AES-GCM intrinsics). Records are read as
 * RFC 6347 section 4.1.2.7 says: whatever does not parse, authenticate or belong is discarded and counted,
 * never fatal, including plaintext alerts and handshake messages that cannot be part of the handshake.
 */
public final class LoopDtls {

    private static final int MAX_PLAINTEXT = (1 << 14) + 2048;
    private static final int MAX_HANDSHAKE_MESSAGE = 32 * 1024;
    /** Epoch-1 records that beat the keys (reordered past the ClientKeyExchange), kept until they come. */
    private static final int MAX_EARLY_RECORDS = 8;
    /** How long the peer has to correct itself after a record we refused, before the refusal is final. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int ALERT = 21;
    private static final int HANDSHAKE = 22;
    private static final int APPLICATION_DATA = 23;

    private final DtlsSettings settings;
    private final RecordWriter out;
    private final Reassembler in;
    private final Handshake handshake;
    private final ArrayDeque<DtlsEvent> events = new ArrayDeque<>();
    private final ArrayDeque<byte[]> earlyRecords = new ArrayDeque<>();
    private final ArrayDeque<byte[]> earlyData = new ArrayDeque<>();
    private final ArrayDeque<byte[]> beforeStart = new ArrayDeque<>();
    private final byte[] plaintext = new byte[MAX_PLAINTEXT];
    private final ByteBuffer plaintextView = ByteBuffer.wrap(plaintext);
    private List<DtlsFingerprint> fingerprints;
    private byte[] peerCertificate;
    private DtlsFingerprint matched;
    private DtlsState state = DtlsState.NEW;
    private boolean connectedPolled;
    private Instant deadline;
    /** A refusal of the peer's records (a plaintext fatal alert, a message that did not fit) and when. */
    private String held;
    private int heldAlert;
    private Instant heldAt;
    private long dropped;
    /** The rest of the datagram being read: its further records come from {@link #pollData}. */
    private ByteBuffer pending;
    private Instant pendingNow;

    /** Makes the ephemeral key and the signing nonce of a later handshake now, off its path (see {@code Ecdhe}). */
    public static void prepareKeyExchange() {
        Ecdhe.prepare();
        EcdsaP256.prepare();
    }

    public LoopDtls(boolean client, DtlsCertificate certificate, DtlsSettings settings) {
        this.settings = settings;
        this.out = new RecordWriter(settings.mtu());
        this.in = new Reassembler(MAX_HANDSHAKE_MESSAGE);
        Handshake.PeerCheck check = this::checkPeer;
        this.handshake = client
                ? new ClientHandshake(settings, certificate.encoded(), certificate.privateKey(), out, in, check)
                : new ServerHandshake(settings, certificate.encoded(), certificate.privateKey(), out, in, check);
    }

    public DtlsState state() {
        return state;
    }

    public long droppedCount() {
        return dropped;
    }

    public void setRemoteFingerprints(List<DtlsFingerprint> remote) {
        if (fingerprints == null) {
            fingerprints = List.copyOf(remote);
            if (peerCertificate != null) {
                try {
                    checkPeer(peerCertificate);
                    maybeConnected();
                } catch (Handshake.Failure f) {
                    fail(f.getMessage(), f.alert);
                }
            }
        }
    }

    public void start(Instant now) {
        if (state != DtlsState.NEW) {
            throw new IllegalStateException("already started: " + state);
        }
        state = DtlsState.CONNECTING;
        deadline = now.plus(settings.handshakeTimeout());
        handshake.start(now);
        for (byte[] early; (early = beforeStart.poll()) != null; ) {
            for (ByteBuffer data = receive(now, ByteBuffer.wrap(early)); data != null; data = pollData()) {
                dropped++;      // application data cannot come before a handshake
            }
        }
    }

    /** RFC 8122 section 5: the peer's certificate must hash to a fingerprint of the remote description. */
    private void checkPeer(byte[] der) throws Handshake.Failure {
        peerCertificate = der;
        if (fingerprints == null) {
            return;     // checked when they come; Connected waits for them
        }
        for (DtlsFingerprint f : fingerprints) {
            if (f.matches(der)) {
                matched = f;
                return;
            }
        }
        String algorithm = fingerprints.get(0).algorithm();
        throw new Handshake.Failure(Handshake.BAD_CERTIFICATE, "the peer's certificate fingerprint "
                + DtlsFingerprint.of(der, algorithm).toSdp() + " does not match the remote description's "
                + fingerprints.stream().map(DtlsFingerprint::toSdp).toList()
                + ": possible man in the middle, handshake refused");
    }

    /**
     * A datagram arrived. Returns its first application data record, decrypted into a buffer reused by the next
     * call (or null); the datagram's further records come from {@link #pollData}, which must be called until
     * null before the caller reuses the datagram's buffer.
     */
    public ByteBuffer receive(Instant now, ByteBuffer datagram) {
        if (state == DtlsState.NEW && beforeStart.size() < MAX_EARLY_RECORDS) {
            byte[] copy = new byte[datagram.remaining()];
            datagram.duplicate().get(copy);
            beforeStart.add(copy);      // a ClientHello can beat the remote description: read at start
            return null;
        }
        if (state != DtlsState.CONNECTING && state != DtlsState.CONNECTED) {
            dropped++;
            return null;
        }
        pending = datagram.duplicate();
        pendingNow = now;
        return pollData();
    }

    /** The next application data record: kept from before Connected was polled, or read from the datagram. */
    public ByteBuffer pollData() {
        if (connectedPolled && !earlyData.isEmpty()) {
            return ByteBuffer.wrap(earlyData.poll());
        }
        while (pending != null && pending.remaining() > 0) {
            ByteBuffer data = nextRecord(pendingNow, pending);
            if (data != null) {
                if (connectedPolled) {
                    return data;
                }
                keepEarly(data);
            }
        }
        pending = null;
        return null;
    }

    private void keepEarly(ByteBuffer data) {
        if (earlyData.size() < settings.maxQueuedDatagrams()) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            earlyData.add(copy);
        } else {
            dropped++;
        }
    }

    /** Reads one record at {@code d}'s position and moves past it; returns application data, or null. */
    private ByteBuffer nextRecord(Instant now, ByteBuffer d) {
        int at = d.position();
        if (d.remaining() < RecordWriter.HEADER) {
            dropped++;
            d.position(d.limit());
            return null;
        }
        int type = d.get(at) & 0xFF;
        int version = d.getShort(at + 1) & 0xFFFF;
        int epoch = d.getShort(at + 3) & 0xFFFF;
        long epochSeq = d.getLong(at + 3);
        int length = d.getShort(at + 11) & 0xFFFF;
        if (length > d.remaining() - RecordWriter.HEADER || type < 20 || type > 23
                || (version != Hello.VERSION_DTLS12 && version != 0xFEFF)) {
            dropped++;          // the rest of the datagram cannot be framed
            d.position(d.limit());
            return null;
        }
        d.position(at + RecordWriter.HEADER + length);
        ByteBuffer record = d.duplicate().position(at).limit(at + RecordWriter.HEADER + length);
        if (epoch == 0) {
            plaintextRecord(now, type, record, length);
            return null;
        }
        if (epoch != 1) {
            dropped++;
            return null;
        }
        if (handshake.protection == null) {
            if (earlyRecords.size() < MAX_EARLY_RECORDS && state == DtlsState.CONNECTING) {
                byte[] copy = new byte[record.remaining()];
                record.duplicate().get(copy);
                earlyRecords.add(copy);
            } else {
                dropped++;
            }
            return null;
        }
        int n = handshake.protection.open(record, type, epochSeq, length, plaintextView);
        if (n < 0) {
            dropped++;          // forged, corrupted or replayed (RFC 6347 4.1.2.7)
            return null;
        }
        plaintextView.flip();
        return protectedRecord(now, type);
    }

    private void plaintextRecord(Instant now, int type, ByteBuffer record, int length) {
        if (type != HANDSHAKE || state != DtlsState.CONNECTING && state != DtlsState.CONNECTED) {
            boolean fatal = type == ALERT && length == 2 && record.get(record.position() + 13) == 2;
            if (fatal && state == DtlsState.CONNECTING) {
                hold(now, "the peer sent fatal alert " + Alerts.name(record.get(record.position() + 14)),
                        Handshake.HANDSHAKE_FAILURE);
            }
            if (type != 20) {
                dropped++;      // unauthenticated alerts and data are discarded (RFC 6347 4.1.2.7)
            }
            return;
        }
        byte[] fragments = new byte[length];
        record.duplicate().position(record.position() + RecordWriter.HEADER).get(fragments);
        if (fragments.length > 0 && (fragments[0] & 0xFF) == Handshake.FINISHED) {
            dropped++;          // Finished is always protected: a plaintext one is forged
            return;
        }
        handshakeFragments(now, fragments);
    }

    private ByteBuffer protectedRecord(Instant now, int type) {
        switch (type) {
            case APPLICATION_DATA -> {
                if (state == DtlsState.CONNECTED) {
                    return plaintextView;
                }
                if (state == DtlsState.CONNECTING) {
                    keepEarly(plaintextView);     // the server's first data can beat its Finished
                }
                return null;
            }
            case HANDSHAKE -> {
                byte[] fragments = new byte[plaintextView.remaining()];
                plaintextView.get(fragments);
                handshakeFragments(now, fragments);
                return null;
            }
            case ALERT -> {
                if (plaintextView.remaining() == 2) {
                    alert(plaintextView.get(0), plaintextView.get(1));
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /** An authenticated alert: close_notify closes, a fatal one fails (RFC 5246 7.2). */
    private void alert(byte level, byte description) {
        if (description == 0) {
            if (state == DtlsState.CONNECTED || state == DtlsState.CONNECTING) {
                state = DtlsState.CLOSED;
                events.add(new DtlsEvent.Closed(true));
            }
        } else if (level == 2 && (state == DtlsState.CONNECTED || state == DtlsState.CONNECTING)) {
            state = DtlsState.FAILED;
            events.add(new DtlsEvent.Failed("the peer sent fatal alert " + Alerts.name(description), null));
        }
    }

    private void handshakeFragments(Instant now, byte[] fragments) {
        Reassembler.Result r = in.add(fragments, 0, fragments.length);
        if (r == Reassembler.Result.DROPPED) {
            dropped++;
            return;
        }
        if (r == Reassembler.Result.OLD) {
            handshake.onPeerResent(now);
        }
        for (Reassembler.Message m; state == DtlsState.CONNECTING && (m = in.poll()) != null; ) {
            boolean hadKeys = handshake.protection != null;
            try {
                handshake.onMessage(now, m);
                held = null;
            } catch (Handshake.Failure f) {
                if (f.alert == Handshake.DECRYPT_ERROR && m.type() == Handshake.FINISHED) {
                    fail(f.getMessage(), f.alert);      // authenticated by the record keys: final
                    return;
                }
                // Unauthenticated: it may be forged. Discarded; the peer's own resend comes in its place.
                dropped++;
                in.restartAt(m.seq());
                hold(now, f.getMessage(), f.alert);
                return;
            }
            if (!hadKeys && handshake.protection != null) {
                replayEarlyRecords(now);
            }
        }
        maybeConnected();
    }

    private void replayEarlyRecords(Instant now) {
        for (byte[] early; (early = earlyRecords.poll()) != null; ) {
            ByteBuffer data = nextRecord(now, ByteBuffer.wrap(early));
            if (data != null) {
                keepEarly(data);
            }
        }
    }

    private void hold(Instant now, String reason, int alert) {
        if (held == null) {
            held = reason;
            heldAlert = alert;
            heldAt = now;
        }
    }

    private void maybeConnected() {
        if (state != DtlsState.CONNECTING || !handshake.finished || matched == null) {
            return;
        }
        try {
            events.add(new DtlsEvent.Connected(handshake.peerX509 != null ? handshake.peerX509
                    : Signatures.certificate(peerCertificate), matched,
                    handshake.srtpProfile, handshake.srtpKeyingMaterial(), suiteName()));
            state = DtlsState.CONNECTED;
            if (settings.keyLogFile() != null) {
                KeyLog.append(settings.keyLogFile(), handshake.clientRandom, handshake.master);
            }
        } catch (Wire.Malformed e) {
            fail("the peer's certificate: " + e.getMessage(), Handshake.BAD_CERTIFICATE);
        }
    }

    private String suiteName() {
        return handshake.suite == Handshake.ECDHE_ECDSA_AES128_GCM ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
                : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    }

    private void fail(String reason, int alert) {
        if (state == DtlsState.FAILED || state == DtlsState.CLOSED) {
            return;
        }
        sendAlert(2, alert);
        state = DtlsState.FAILED;
        handshake.stopTimer();
        events.add(new DtlsEvent.Failed(reason, null));
    }

    private void sendAlert(int level, int description) {
        byte[] alert = {(byte) level, (byte) description};
        if (out.hasProtection() && handshake.finished) {
            out.sealed(ALERT, alert, 0, 2);
        } else {
            out.record(ALERT, 0, alert, 0, 2);
            out.flush();
        }
    }

    /**
     * Whether application data may be sent: once connected, and on the client as soon as its last flight is out
     * and the server's certificate matched the fingerprint (TLS False Start, RFC 7918: allowed since every
     * suite we negotiate is ECDHE with an AEAD; the server was authenticated by its signature over our random).
     * The first SCTP packet then rides with the client's Finished, a round trip earlier; a server that keeps
     * such data until its handshake completes (ours, OpenSSL's) takes it, one that drops it loses nothing the
     * peer's own SCTP INIT does not make up for.
     */
    public boolean canSend() {
        return state == DtlsState.CONNECTED || state == DtlsState.CONNECTING && handshake instanceof ClientHandshake
                && handshake.finishedSent && matched != null;
    }

    public void send(byte[] data, int off, int len) {
        if (!canSend()) {
            throw new IllegalStateException("DTLS is " + state + ", not connected");
        }
        if (len > 1 << 14) {
            throw new IllegalArgumentException("a record carries at most 2^14 bytes: " + len);
        }
        out.sealed(APPLICATION_DATA, data, off, len);
    }

    public int maxApplicationData(int datagramSize) {
        if (!canSend()) {
            throw new IllegalStateException("DTLS is " + state + ", not connected");
        }
        return RecordWriter.maxPlaintext(datagramSize);
    }

    public void close() {
        if (state == DtlsState.CLOSED || state == DtlsState.FAILED) {
            return;
        }
        if (state == DtlsState.CONNECTED) {
            sendAlert(1, 0);    // close_notify
        }
        state = DtlsState.CLOSED;
        handshake.stopTimer();
        events.add(new DtlsEvent.Closed(false));
    }

    public ByteBuffer pollTransmit() {
        byte[] d = out.poll();
        return d == null ? null : ByteBuffer.wrap(d);
    }

    /** The next datagram put into {@code into}, copied out of a buffer that is reused; false when none. */
    public boolean pollTransmit(ByteBuffer into) {
        return out.poll(into);
    }

    public DtlsEvent pollEvent() {
        DtlsEvent e = events.poll();
        if (e instanceof DtlsEvent.Connected) {
            connectedPolled = true;
        }
        return e;
    }

    /** When {@link #handleTimeout} is due next, or null. */
    public Instant pollTimeout() {
        if (state != DtlsState.CONNECTING) {
            return null;
        }
        Instant t = deadline;
        Instant resend = handshake.resendAt();
        if (resend != null && resend.isBefore(t)) {
            t = resend;
        }
        if (held != null && heldAt.plus(GRACE).isBefore(t)) {
            t = heldAt.plus(GRACE);
        }
        return t;
    }

    public void handleTimeout(Instant now) {
        if (state != DtlsState.CONNECTING) {
            return;
        }
        if (!now.isBefore(deadline)) {
            fail("DTLS handshake timed out after " + settings.handshakeTimeout().toMillis() + " ms"
                    + (held == null ? "" : "; last refused: " + held), Handshake.HANDSHAKE_FAILURE);
            return;
        }
        if (held != null && !now.isBefore(heldAt.plus(GRACE))) {
            fail(held, heldAlert);
            return;
        }
        handshake.onResendTimer(now);
    }
}
