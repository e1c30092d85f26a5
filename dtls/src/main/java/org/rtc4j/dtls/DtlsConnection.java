package org.rtc4j.dtls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.rtc4j.dtls.internal.ChangeCipherSpecGate;
import org.rtc4j.dtls.internal.ClientPeer;
import org.rtc4j.dtls.internal.NoInput;
import org.rtc4j.dtls.internal.PeerSupport;
import org.rtc4j.dtls.internal.QueueDatagramTransport;
import org.rtc4j.dtls.internal.RecordFilter;
import org.rtc4j.dtls.internal.ServerPeer;
import org.rtc4j.dtls.internal.loop.LoopDtls;

/**
 * One DTLS 1.2 association over a datagram path the caller drives (the selected ICE candidate pair, or a
 * test's simulated link), in the sans-IO style of the other engines: datagrams in through {@link #receive},
 * which returns the application data they carried; datagrams out through {@link #pollTransmit}, what happened
 * through {@link #pollEvent}. No callback carries data: the plaintext is a view the caller reads before its
 * next call (no copy), so a layer above (SCTP) takes records straight from here.
 *
 * <p>By default the handshake is ours and runs on the caller's thread like any engine ({@link
 * DtlsSettings#loopHandshake}): datagrams in, datagrams out, its resends and deadline through {@link
 * #pollTimeout} and {@link #handleTimeout} with the caller's {@code now}, so it also runs on a virtual clock;
 * ECDHE (X25519 or P-256) with AES-128-GCM, what every WebRTC peer offers. With {@code loopHandshake} off,
 * Bouncy Castle's handshake (more suites: AES-256-GCM, ChaCha20-Poly1305, CBC) blocks and times its resends
 * with the system clock, so it runs on a virtual thread of its own behind a queue: while it runs, output and
 * events can appear between the caller's calls, and the connection calls the {@link #onWakeup wake-up} hook
 * when they do; the driver then polls on its own thread. After the handshake no thread is involved: records
 * are decrypted synchronously inside {@link #receive} and {@link #pollData}, and {@link #send} encrypts
 * synchronously.
 *
 * <p>The peer is accepted only if its certificate matches a fingerprint given to
 * {@link #setRemoteFingerprints} (from the remote SDP); the handshake waits for them if they come late.
 * Malformed and unauthenticated records are dropped and counted ({@link #droppedCount()}), never fatal
 * (RFC 6347 section 4.1.2.7), including plaintext alerts during the handshake.
 *
 * <p>Apart from the wake-up hook, all methods are for one driver thread at a time.
 */
public final class DtlsConnection {

    private static final int MAX_PLAINTEXT = (1 << 14) + 2048;
    /**
     * How long the peer has, after a plaintext fatal alert during the handshake, to send anything else before
     * the alert is taken as meant: longer than the first retransmission timeouts of common stacks (1 s) plus a
     * round trip, short enough that a real refusal (a certificate that does not match) shows soon.
     */
    private static final long ALERT_GRACE_MILLIS = 2_000;
    /** The largest UDP payload over IPv4: no record of ours is larger, whatever the path. */
    private static final int MAX_DATAGRAM = 65_507;

    private final DtlsRole role;
    private final DtlsSettings settings;
    private final RecordFilter filter;
    private final ChangeCipherSpecGate ccsGate;
    private final PeerSupport support;
    private final QueueDatagramTransport transport;
    /** Datagrams to send; guarded by itself (the handshake thread adds, the driver polls). */
    private final java.util.ArrayDeque<byte[]> transmits = new java.util.ArrayDeque<>();
    private final Queue<DtlsEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private final byte[] plaintext = new byte[MAX_PLAINTEXT];
    /** The one view of {@link #plaintext} handed out: reused, so receiving allocates nothing per record. */
    private final ByteBuffer plaintextView = ByteBuffer.wrap(plaintext);
    private volatile DtlsState state = DtlsState.NEW;
    private volatile Runnable wakeup = () -> { };
    /** The driver has polled Connected: application data may follow (never ahead of it). */
    private boolean connectedPolled;
    /** Application data decrypted before the driver polled Connected, waiting for it. */
    private final java.util.ArrayDeque<byte[]> early = new java.util.ArrayDeque<>();
    private volatile boolean peerClosed;
    private DTLSTransport dtls;
    private volatile Thread handshakeThread;
    /** The handshake on the caller's thread ({@link DtlsSettings#loopHandshake}), or null. */
    private final LoopDtls loop;

    public DtlsConnection(DtlsRole role, DtlsCertificate certificate, DtlsSettings settings) {
        this.role = Objects.requireNonNull(role, "role");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(certificate, "certificate");
        this.filter = new RecordFilter(PeerSupport.MAX_HANDSHAKE_MESSAGE);
        this.ccsGate = role == DtlsRole.SERVER ? new ChangeCipherSpecGate(PeerSupport.MAX_HANDSHAKE_MESSAGE) : null;
        this.support = new PeerSupport(settings, certificate, filter);
        this.transport = new QueueDatagramTransport(settings.maxQueuedDatagrams(), settings.mtu(), this::queueTransmit,
                () -> peerClosed = true, () -> wakeup.run(), ALERT_GRACE_MILLIS);
        this.loop = settings.loopHandshake() ? new LoopDtls(role == DtlsRole.CLIENT, certificate, settings) : null;
    }

    /**
     * Makes the ephemeral ECDH key of a connection made later, now (at most a few are kept): a caller that
     * knows a handshake is coming, as a peer connection does when it is made, takes that work off the set-up.
     */
    public static void prepareKeyExchange() {
        LoopDtls.prepareKeyExchange();
    }

    public DtlsRole role() {
        return role;
    }

    public DtlsState state() {
        if (loop != null) {
            return loop.state();
        }
        return state;
    }

    /**
     * The fingerprints from the remote description's {@code a=fingerprint} lines: the peer's certificate must
     * match one. May be called before {@link #start} or while the handshake runs; only the first call counts.
     */
    public void setRemoteFingerprints(List<DtlsFingerprint> fingerprints) {
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("at least one remote fingerprint is needed");
        }
        if (loop != null) {
            loop.setRemoteFingerprints(fingerprints);
            return;
        }
        support.setRemoteFingerprints(fingerprints);
    }

    /**
     * A hook run (on the handshake thread) when transmits or events appear outside the caller's own calls; it
     * should only schedule polling on the driver's thread, never poll itself.
     */
    public void onWakeup(Runnable hook) {
        this.wakeup = Objects.requireNonNull(hook, "hook");
    }

    /** Starts the handshake: a client sends its ClientHello at once, a server waits for one. */
    public void start(Instant now) {
        if (loop != null) {
            loop.start(now);
            return;
        }
        if (state != DtlsState.NEW) {
            throw new IllegalStateException("already started: " + state);
        }
        state = DtlsState.CONNECTING;
        // Assigned before it runs: close() interrupts it.
        Thread t = Thread.ofVirtual().name("rtc4j-dtls-" + role.name().toLowerCase(java.util.Locale.ROOT))
                .unstarted(this::handshake);
        handshakeThread = t;
        t.start();
    }

    private void handshake() {
        try {
            DTLSTransport established;
            if (role == DtlsRole.CLIENT) {
                established = new DTLSClientProtocol().connect(new ClientPeer(support), transport);
            } else {
                DTLSServerProtocol server = new DTLSServerProtocol();
                // ICE has already proven the peer's address (consent), so no cookie round trip (RFC 6347 4.2.1).
                server.setVerifyRequests(false);
                established = server.accept(new ServerPeer(support), transport);
            }
            transport.setSynchronous();
            // The handshake kept to the configured MTU; application records may be as large as a record can
            // be (2^14 plaintext, RFC 6347 section 4.1): the layer above finds what the path carries (SCTP's
            // path MTU discovery, RFC 8899 section 6.2) and sizes its packets to that.
            transport.setSendLimit(MAX_DATAGRAM);
            DtlsEvent.Connected connected = connectedEvent();
            synchronized (this) {
                if (state != DtlsState.CONNECTING) {
                    established.close();
                    return;
                }
                // Under the lock, the event before the state: no Data event can precede Connected, and a
                // driver that has seen Connected finds the state CONNECTED (see connectedState()).
                dtls = established;
                events.add(connected);
                state = DtlsState.CONNECTED;
            }
        } catch (Throwable e) {
            DtlsEvent.Failed failed = new DtlsEvent.Failed(support.describe(e), e);
            synchronized (this) {
                if (state != DtlsState.CONNECTING) {
                    return;
                }
                events.add(failed); // the event before the state, as for Connected
                state = DtlsState.FAILED;
            }
        }
        wakeup.run();
    }

    private DtlsEvent.Connected connectedEvent() throws CertificateException {
        byte[] material = support.keyingMaterial();
        return new DtlsEvent.Connected(DtlsCertificate.parseCertificate(support.peerCertificate()),
                support.matchedFingerprint(), support.srtpProfile(), material == null ? null : material.clone(),
                support.cipherSuiteName());
    }

    /**
     * A datagram arrived on the path (its bytes between position and limit; the buffer stays the caller's).
     * Returns the first application data record it carried, decrypted, as a view valid until the next call to
     * {@code receive} or {@link #pollData} (read it, or copy it, before then); the datagram's further records
     * come from {@link #pollData}. Returns {@code null} when it carried none, during the handshake, and until
     * the driver has polled the {@link DtlsEvent.Connected} event. Malformed records are dropped. Datagrams that
     * arrive before {@link #start} wait for it (a ClientHello can beat the remote description).
     */
    public ByteBuffer receive(Instant now, ByteBuffer datagram) {
        if (loop != null) {
            return loop.receive(now, datagram);
        }
        queue(datagram);
        return pollData();
    }

    /** Splits a datagram into records for Bouncy Castle's queue, dropping what the filters refuse. */
    private void queue(ByteBuffer datagram) {
        DtlsState s = state;
        if (s == DtlsState.CLOSED || s == DtlsState.FAILED) {
            dropped.incrementAndGet();
            return;
        }
        byte[] d = new byte[datagram.remaining()];
        datagram.duplicate().get(d);
        int valid = filter.validPrefix(d, d.length);
        if (valid == 0) {
            dropped.incrementAndGet();
            return;
        }
        if (ccsGate != null && state != DtlsState.CONNECTED) {
            valid = ccsGate.admit(d, valid);
            if (valid == 0) {
                return;     // a ChangeCipherSpec ahead of its flight: the client will send it again
            }
        }
        if (valid < d.length) {
            dropped.incrementAndGet();
        }
        // One record per queued datagram: Bouncy Castle 1.84 discards a whole datagram whose first record is
        // not of its current read epoch, so a ChangeCipherSpec (epoch 0) packed with a Finished (epoch 1), as
        // OpenSSL and we send them, would be lost entirely by a receiver that had already switched epochs.
        int pos = 0;
        while (pos < valid) {
            int end = pos + RecordFilter.HEADER + (((d[pos + 11] & 0xFF) << 8) | (d[pos + 12] & 0xFF));
            if (s != DtlsState.CONNECTED && unauthenticatedNonHandshake(d, pos, end)) {
                dropped.incrementAndGet();
            } else if (!transport.offer(pos == 0 && end == d.length ? d : Arrays.copyOfRange(d, pos, end))) {
                dropped.incrementAndGet();
            }
            pos = end;
        }
    }

    /**
     * A plaintext (epoch 0) record during the handshake that is not part of it: an alert, application data or
     * a heartbeat. Anyone who can send from the peer's address can forge one, and Bouncy Castle would end the
     * handshake on a fatal alert: such records are discarded (RFC 6347 section 4.1.2.7). A fatal alert is
     * remembered: if the peer then stays silent, it meant it, and the handshake fails with it as the reason.
     */
    private boolean unauthenticatedNonHandshake(byte[] d, int pos, int end) {
        int type = d[pos] & 0xFF;
        if (type == RecordFilter.HANDSHAKE || type == RecordFilter.CHANGE_CIPHER_SPEC
                || ((d[pos + 3] & 0xFF) | (d[pos + 4] & 0xFF)) != 0) {
            return false;
        }
        if (type == RecordFilter.ALERT && end - pos == RecordFilter.HEADER + 2 && d[pos + 13] == 2) {
            transport.alertIgnored((short) (d[pos + 14] & 0xFF));
        }
        return true;
    }

    /**
     * The next application data record queued by earlier datagrams, decrypted: a view valid until the next call
     * to {@link #receive} or {@code pollData}, or {@code null} when none is left. Call it until {@code null}
     * after {@code receive}, and after polling {@link DtlsEvent.Connected} (records that came with the last
     * flight of the handshake wait for it).
     */
    public ByteBuffer pollData() {
        if (loop != null) {
            return loop.pollData();
        }
        if (!connectedPolled) {
            // Records are read at once all the same (a retransmitted flight must be answered), and those of
            // application data kept, bounded, until the driver has seen Connected: a rare copy at the hand-over.
            for (ByteBuffer p; (p = decryptNext()) != null; ) {
                if (early.size() < settings.maxQueuedDatagrams()) {
                    byte[] copy = new byte[p.remaining()];
                    p.get(copy);
                    early.add(copy);
                } else {
                    dropped.incrementAndGet();
                }
            }
            return null;
        }
        byte[] kept = early.poll();
        return kept != null ? ByteBuffer.wrap(kept) : decryptNext();
    }

    /** Decrypts the next queued application record into the reused view, or returns null. */
    private ByteBuffer decryptNext() {
        while (state == DtlsState.CONNECTED) {
            int n;
            try {
                n = dtls.receive(plaintext, 0, plaintext.length, 0);
            } catch (NoInput e) {
                break;
            } catch (IOException | RuntimeException e) {
                fail(support.describe(e), e);
                return null;
            }
            if (n >= 0) {
                plaintextView.limit(n).position(0);
                return plaintextView;
            }
            // bad_record_mac: a forged or corrupted record, discarded (RFC 6347 4.1.2.7).
            dropped.incrementAndGet();
            if (peerClosed) {
                break;
            }
        }
        if (peerClosed && state == DtlsState.CONNECTED) {
            state = DtlsState.CLOSED;
            events.add(new DtlsEvent.Closed(true));
        }
        return null;
    }

    private void fail(String reason, Throwable cause) {
        state = DtlsState.FAILED;
        events.add(new DtlsEvent.Failed(reason, cause));
    }

    /**
     * Encrypts and queues one record of application data (at most 2^14 bytes; a datagram the path carries
     * only if it is at most {@link #maxApplicationData(int)} for the path's MTU).
     */
    public void send(byte[] data, int off, int len) {
        if (loop != null) {
            loop.send(data, off, len);
            return;
        }
        if (connectedState() != DtlsState.CONNECTED) {
            throw new IllegalStateException("DTLS is " + state + ", not connected");
        }
        try {
            dtls.send(data, off, len);
        } catch (IOException e) {
            fail(support.describe(e), e);
        }
    }

    /**
     * Whether {@link #send} takes application data now: when connected, and with our own handshake as the client
     * already once its last flight is out (False Start, RFC 7918), before the server's Finished arrives.
     */
    public boolean canSend() {
        return loop != null ? loop.canSend() : connectedState() == DtlsState.CONNECTED;
    }

    /** The most application data one record (one datagram) carries with the configured MTU. */
    public int maxApplicationData() {
        return maxApplicationData(settings.mtu());
    }

    /**
     * The most application data one record carries in a datagram of {@code datagramSize} bytes (at most
     * 2^14): what the negotiated cipher leaves of it after the header, explicit nonce, tag or MAC and padding.
     */
    public int maxApplicationData(int datagramSize) {
        if (loop != null) {
            return loop.maxApplicationData(datagramSize);
        }
        if (connectedState() != DtlsState.CONNECTED) {
            throw new IllegalStateException("DTLS is " + state + ", not connected");
        }
        // Bouncy Castle derives its send limit from the transport's on each call: ask it for this size.
        transport.setSendLimit(datagramSize);
        try {
            return Math.max(0, dtls.getSendLimit());
        } catch (IOException e) {
            return 0;
        } finally {
            transport.setSendLimit(MAX_DATAGRAM);
        }
    }

    /** The state, waiting out the handshake thread's hand-over if it is under way. */
    private DtlsState connectedState() {
        DtlsState s = state;
        if (s == DtlsState.CONNECTING) {
            synchronized (this) {
                s = state;
            }
        }
        return s;
    }

    /** Sends close_notify (when connected) and stops; a handshake in progress is abandoned. */
    public void close() {
        if (loop != null) {
            loop.close();
            return;
        }
        DTLSTransport open;
        synchronized (this) {
            DtlsState s = state;
            if (s == DtlsState.CLOSED || s == DtlsState.FAILED) {
                return;
            }
            open = s == DtlsState.CONNECTED ? dtls : null;
            state = DtlsState.CLOSED;
        }
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                // close_notify is best effort.
            }
        } else {
            transport.close();
            Thread t = handshakeThread;
            if (t != null) {
                t.interrupt();
            }
        }
        events.add(new DtlsEvent.Closed(false));
    }

    /** The next datagram to send, or {@code null}. */
    public ByteBuffer pollTransmit() {
        if (loop != null) {
            return loop.pollTransmit();
        }
        byte[] d;
        synchronized (transmits) {
            d = transmits.poll();
        }
        return d == null ? null : ByteBuffer.wrap(d);
    }

    /**
     * The next datagram to send, put into {@code into} at its position (the way a driver sends without allocating:
     * records are sealed into buffers that are reused); false when there is none. A datagram larger than the room
     * left in {@code into} stays queued and throws.
     */
    public boolean pollTransmit(ByteBuffer into) {
        if (loop != null) {
            return loop.pollTransmit(into);
        }
        synchronized (transmits) {
            byte[] d = transmits.peek();
            if (d == null) {
                return false;
            }
            if (d.length > into.remaining()) {
                throw new IllegalArgumentException("a datagram of " + d.length + " bytes, room for " + into.remaining());
            }
            into.put(transmits.poll());
            return true;
        }
    }

    /** The next event, or {@code null}. After {@link DtlsEvent.Connected}, call {@link #pollData}. */
    public DtlsEvent pollEvent() {
        if (loop != null) {
            return loop.pollEvent();
        }
        DtlsEvent e = events.poll();
        if (e instanceof DtlsEvent.Connected) {
            connectedPolled = true;
        }
        return e;
    }

    /** Datagrams or records dropped as malformed, unauthenticated, or over the queue bound. */
    public long droppedCount() {
        return loop != null ? loop.droppedCount() : dropped.get();
    }

    /**
     * When {@link #handleTimeout} is due next (a handshake resend or its deadline), or {@code null}. Only the
     * loop handshake has timers; Bouncy Castle's keeps its own.
     */
    public Instant pollTimeout() {
        return loop != null ? loop.pollTimeout() : null;
    }

    /** The time {@link #pollTimeout} asked for has come. */
    public void handleTimeout(Instant now) {
        if (loop != null) {
            loop.handleTimeout(now);
        }
    }

    private void queueTransmit(byte[] datagram) {
        synchronized (transmits) {
            byte[] last = transmits.peekLast();
            if (last != null && last.length + datagram.length <= settings.mtu()) {
                // Records the driver has not sent yet share a datagram (RFC 6347 4.1.1 allows several records
                // per datagram): a flight is fewer datagrams to lose, and a ChangeCipherSpec travels with its
                // Finished, also when a final flight is resent from the driver's thread.
                byte[] packed = Arrays.copyOf(last, last.length + datagram.length);
                System.arraycopy(datagram, 0, packed, last.length, datagram.length);
                transmits.pollLast();
                transmits.addLast(packed);
            } else {
                transmits.addLast(datagram);
            }
        }
        // The handshake's thread wakes the driver once per flight, when it waits for the reply (see
        // QueueDatagramTransport), or when it ends: a flight of five records is one hand-off and one or two
        // datagrams, not five of each. The driver's own calls send what they queue.
    }
}
