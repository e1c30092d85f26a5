package org.rtc4j.sctp;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.sctp.internal.Checksum;
import org.rtc4j.sctp.internal.CongestionControl;
import org.rtc4j.sctp.internal.Chunk;
import org.rtc4j.sctp.internal.ChunkCodec;
import org.rtc4j.sctp.internal.ChunkType;
import org.rtc4j.sctp.internal.IntQueue;
import org.rtc4j.sctp.internal.OutChunk;
import org.rtc4j.sctp.internal.OutMessage;
import org.rtc4j.sctp.internal.OutStream;
import org.rtc4j.sctp.internal.OutstandingQueue;
import org.rtc4j.sctp.internal.ParamType;
import org.rtc4j.sctp.internal.PathMtuSearch;
import org.rtc4j.sctp.internal.Reassembler;
import org.rtc4j.sctp.internal.ReConfigParam;
import org.rtc4j.sctp.internal.SendScheduler;
import org.rtc4j.sctp.internal.StateCookie;
import org.rtc4j.sctp.internal.TsnTracker;

/**
 * One SCTP association as WebRTC uses it (RFC 8261 over DTLS, RFC 9260 without multihoming), sans-IO: the
 * driver feeds packets and timeouts and reads packets, events and the next timeout.
 *
 * <p>Either side may {@link #connect} (both at once is fine, RFC 9260 5.2.1); a side that does not still
 * answers an INIT. Messages go out with {@link #send}; whole messages come back as
 * {@link SctpEvent.Message}. Not thread-safe.
 *
 * <p>It is a {@link Engine}, with two ways to move packets. SCTP over DTLS (RFC 8261) has no addresses of
 * its own: the DTLS association is the path, so {@link #handleInput} ignores the addresses and
 * {@link #pollTransmit} puts {@link #NO_ADDRESS} on both ends for the driver to replace. That path costs a
 * {@code Transmit} and a copy per packet, which is fine for tests and generic drivers but not for the data
 * path of a peer connection, which moves hundreds of megabytes a second through here: so
 * {@link #handlePacket} and {@link #pollPacket(Instant, ByteBuffer)} do the same with no allocation, the
 * packet written straight into the driver's buffer and stamped with the time the driver passes.
 *
 * <p>After any call, the driver drains {@link #pollPacket} (or {@link #pollTransmit}) and {@link #pollEvent}
 * until both are empty (polling an event can open the receive window and so produce a packet) and then waits
 * until {@link #pollTimeout}. {@link #send} brings no time: a driver that uses {@link #pollTransmit} after
 * sending calls {@link #handleTimeout} with the time first (early calls are harmless), so that what leaves is
 * stamped with it.
 */
public final class SctpAssociation implements Engine<SctpEvent> {

    /** The address on both ends of what {@link #pollTransmit} returns: the lower layer knows the path. */
    public static final TransportAddress NO_ADDRESS = TransportAddress.udp(
            TransportAddress.parseIp("0.0.0.0"), 0);

    private static final long NEVER = Long.MAX_VALUE;
    private final int windowTsns;
    private static final int MAX_DUPS = 16;

    private final SctpSettings cfg;
    private final RandomGenerator random;
    private final StateCookie cookies;
    private final Checksum checksum = new Checksum();
    private final TsnTracker rx;
    private final Reassembler reasm;
    private final OutstandingQueue out = new OutstandingQueue();
    private final SendScheduler sched = new SendScheduler();
    private final IntQueue retx = new IntQueue();
    private final ArrayDeque<SctpEvent> events = new ArrayDeque<>();
    private final ArrayDeque<Chunk> control = new ArrayDeque<>();
    private final ArrayDeque<byte[]> raw = new ArrayDeque<>();
    /** Messages with a lifetime whose clock starts at the next call that brings the time. */
    private final ArrayDeque<OutMessage> unstamped = new ArrayDeque<>();
    private final byte[] rxBuf = new byte[65536];
    /** Room for the largest packet: MAX_PLPMTU (a probe), grown when the driver raises it. */
    private byte[] txBuf;
    /** Where {@link #pollTransmit} has packets written before it copies them (made on first use). */
    private ByteBuffer transmitBuf;
    private final int[] gapStarts = new int[512];
    private final int[] gapEnds = new int[512];
    private final int[] dups = new int[MAX_DUPS];
    private int dupCount;
    /** Gap blocks of the previous SACK, as absolute TSNs, to find what a SACK newly acknowledges. */
    private int[] prevStarts = new int[64];
    private int[] prevEnds = new int[64];
    private int prevCount;
    private int[] curStarts = new int[64];
    private int[] curEnds = new int[64];

    private SctpState state = SctpState.CLOSED;
    private int localTag;
    private int peerTag;
    private int localInitialTsn;
    private int outStreams;
    private int inStreams;
    private boolean peerForwardTsn;
    private boolean peerReconfig;
    private boolean interleaved;
    private boolean sendZeroChecksum;
    private byte[] initPacket;
    private byte[] cookieEcho;

    private long now;
    private long t1At = NEVER;
    private int t1Count;
    private long t3At = NEVER;
    private long ackAt = NEVER;
    private long t2At = NEVER;
    private long reconfAt = NEVER;
    private Instant cachedTimeout;
    private long cachedTimeoutNanos = NEVER;

    private final CongestionControl cc;
    private final PathMtuSearch pmtu;
    /** The peer is known to be ESTABLISHED too (it sent something after the handshake): probes may go. */
    private boolean peerEstablished;
    /** T3-rtx expirations since the cumulative ack last moved (black hole detection, RFC 8899 4.3). */
    private int t3Strikes;
    private boolean rttActive;
    private int rttTsn;

    private long flight;
    private long peerRwnd;
    private boolean fastRetransmitNow;
    private int errorCount;

    private long sackRttSample;

    private boolean sackNow;
    private int packetsSinceSack;
    private long eventBytes;
    private long lastAdvertisedRwnd;
    private long sendBufferUsed;

    private int advancedPeerAckPoint;
    private boolean forwardTsnNeeded;

    private int reqSeqOut;
    private int peerReqSeqNext;
    private ReConfigParam outstandingRequest;
    private final ArrayDeque<Object> pendingRequests = new ArrayDeque<>();
    private ReConfigParam.Response responseToSend;
    private ReConfigParam.Response lastResponse;
    private ReConfigParam.OutgoingReset deferredReset;
    private boolean shutdownWanted;

    private long packetsReceived;
    private long packetsSent;
    private long badChecksums;
    private long badTags;
    private long malformed;
    private long duplicateTsns;
    private long outOfWindow;
    private long invalidStreams;
    private long fastRetransmits;
    private long timeouts;
    private long retransmittedChunks;
    private long abandoned;

    public SctpAssociation(SctpSettings settings) {
        this.cfg = settings;
        this.random = settings.random();
        this.cookies = new StateCookie(random);
        this.txBuf = new byte[settings.maxMtu()];
        this.pmtu = new PathMtuSearch(settings.mtu(), settings.maxMtu(), random);
        // TSNs tracked above the cumulative ack: one per 64 bytes of window (smaller chunks are throttled).
        this.windowTsns = Integer.highestOneBit(Math.max(4096, Math.min(1 << 20, settings.receiveWindow() / 64)) * 2 - 1);
        this.rx = new TsnTracker(windowTsns);
        // Our DATA chunks are never larger than the base (see writeData), so the reassembler's pooled buffers
        // are base-sized; larger fragments from a peer that fragments for a larger path get arrays of their own.
        this.reasm = new Reassembler(this::deliver, windowTsns, settings.maxMessageSize(), settings.mtu());
        this.cc = new CongestionControl(settings.mtu(), settings.rtoInitialMillis(), settings.rtoMinMillis(),
                settings.rtoMaxMillis());
    }

    // ================================================================================== user-facing API

    public SctpState state() {
        return state;
    }

    public SctpSettings settings() {
        return cfg;
    }

    /** Streams negotiated for sending (0 before the handshake). */
    public int outboundStreams() {
        return outStreams;
    }

    public int inboundStreams() {
        return inStreams;
    }

    /** Whether I-DATA (RFC 8260) is in use: both sides offered it. */
    public boolean interleaving() {
        return interleaved;
    }

    /** Whether this end puts zero checksums in its packets (RFC 9653, both sides agreed). */
    public boolean sendsZeroChecksum() {
        return sendZeroChecksum;
    }

    /** Whether the peer supports partial reliability (RFC 3758). */
    public boolean partialReliability() {
        return peerForwardTsn;
    }

    public SctpStats stats() {
        return new SctpStats(packetsReceived, packetsSent, badChecksums, badTags, malformed, duplicateTsns,
                outOfWindow, invalidStreams, fastRetransmits, timeouts, retransmittedChunks, abandoned,
                reasm.oversized(), cc.cwnd(), cc.rto() / 1_000_000, cc.srtt() < 0 ? -1 : cc.srtt() / 1_000_000,
                pmtu.plpmtu(), pmtu.probesSent(), pmtu.probesConfirmed(), pmtu.unmatchedAcks(), pmtu.blackHoles());
    }

    /** The path MTU in use (RFC 8899 PLPMTU): the largest packet this end sends now. */
    public int pathMtu() {
        return pmtu.plpmtu();
    }

    /** Where the path MTU search is (for tests). */
    PathMtuSearch.Phase pmtuPhase() {
        return pmtu.phase();
    }

    /** MAX_PLPMTU now: the largest packet probed for, and the room {@link #pollPacket} needs. */
    public int maxMtu() {
        return pmtu.max();
    }

    /**
     * Changes MAX_PLPMTU (RFC 8899 5.1.4), e.g. when ICE moves to a path with other overheads; the value is
     * the largest SCTP packet, net of DTLS, UDP, IP and TURN. A PLPMTU above it drops to the base at once,
     * and the search runs again in the new range. From now on {@link #pollPacket} needs this much room.
     *
     * @throws IllegalArgumentException below the base MTU or above 65,535
     */
    public void setMaxMtu(Instant time, int maxMtu) {
        if (maxMtu < cfg.mtu() || maxMtu > 65535) {
            throw new IllegalArgumentException("maxMtu out of range " + cfg.mtu() + "..65535: " + maxMtu);
        }
        tick(time);
        if (maxMtu > txBuf.length) {
            txBuf = new byte[maxMtu];
        }
        pmtu.setMax(maxMtu, now);
        cc.mtu(pmtu.plpmtu());
    }

    /** Starts the handshake (RFC 9260 5.1): sends INIT. */
    public void connect(Instant time) {
        tick(time);
        if (state != SctpState.CLOSED) {
            throw new IllegalStateException("connect in state " + state);
        }
        localTag = nonZeroTag();
        localInitialTsn = random.nextInt();
        Chunk.Init init = ourInit(false, localTag, localInitialTsn, null);
        initPacket = packet(0, init, true);
        raw.add(initPacket);
        state = SctpState.COOKIE_WAIT;
        t1Count = 0;
        t1At = now + cc.rto();
    }

    /**
     * Queues one message. {@code data} is not copied: the caller must not change it until it is acknowledged
     * (hand over a fresh array). Returns false when the send buffer has no room for it.
     *
     * @throws IllegalStateException    when the association is not established or the stream is closing
     * @throws IllegalArgumentException for an empty message or a stream that was not negotiated
     */
    public boolean send(int stream, int ppid, byte[] data, SendOptions options) {
        return send(stream, ppid, data, 0, data.length, options);
    }

    public boolean send(int stream, int ppid, byte[] data, int offset, int length, SendOptions options) {
        if (state != SctpState.ESTABLISHED) {
            throw new IllegalStateException("send in state " + state);
        }
        if (stream < 0 || stream >= outStreams) {
            throw new IllegalArgumentException("stream " + stream + " not negotiated (" + outStreams + ")");
        }
        if (length <= 0) {
            throw new IllegalArgumentException("SCTP carries no empty messages (RFC 9260 3.3.1)");
        }
        OutStream s = sched.stream(stream);
        if (s.resetPending) {
            throw new IllegalStateException("stream " + stream + " is being reset");
        }
        if (sendBufferUsed + length > cfg.sendBuffer() && sendBufferUsed > 0) {
            return false;
        }
        boolean unordered = options.unordered();
        int maxRtx = peerForwardTsn ? options.maxRetransmits() : -1;
        long lifetime = peerForwardTsn && options.lifetimeMillis() >= 0 ? options.lifetimeMillis() * 1_000_000L : -1;
        OutMessage m = new OutMessage(stream, ppid, data, offset, length, unordered, maxRtx, lifetime);
        if (lifetime >= 0) {
            unstamped.add(m); // the lifetime starts at the next moment the driver tells us the time
        }
        sched.enqueue(m);
        sendBufferUsed += length;
        return true;
    }

    /** Bytes queued on a stream and not yet sent once (the W3C bufferedAmount). */
    public long bufferedAmount(int stream) {
        OutStream s = sched.existing(stream);
        return s == null ? 0 : s.buffered;
    }

    public void bufferedAmountLowThreshold(int stream, long threshold) {
        sched.stream(stream).lowThreshold = threshold;
    }

    /** Bytes queued or unacknowledged, against the send buffer setting. */
    public long sendBufferUsed() {
        return sendBufferUsed;
    }

    /**
     * Resets outgoing streams (RFC 6525 5.1.2): their SSNs restart from 0 and the peer learns that nothing
     * more comes on them. Messages already queued are sent first.
     */
    public void resetStreams(int... streams) {
        if (!peerReconfig) {
            throw new IllegalStateException("the peer does not support RE-CONFIG");
        }
        for (int id : streams) {
            sched.stream(id).resetPending = true;
        }
        pendingRequests.add(streams.clone());
    }

    /** Asks for {@code count} more outgoing streams (RFC 6525 5.1.5). */
    public void addStreams(int count) {
        if (!peerReconfig) {
            throw new IllegalStateException("the peer does not support RE-CONFIG");
        }
        if (count < 1 || outStreams + count > 65535) {
            throw new IllegalArgumentException("cannot add " + count + " streams to " + outStreams);
        }
        pendingRequests.add(count);
    }

    /** Graceful close (RFC 9260 9.2): sends what is queued, then SHUTDOWN. */
    public void shutdown() {
        if (state == SctpState.ESTABLISHED) {
            state = SctpState.SHUTDOWN_PENDING;
            shutdownWanted = true;
        } else if (state == SctpState.COOKIE_WAIT || state == SctpState.COOKIE_ECHOED) {
            close("shut down before established", true);
        }
    }

    /** Immediate close (RFC 9260 9.1): sends ABORT and forgets everything. */
    public void abort(String reason) {
        if (state == SctpState.CLOSED) {
            return;
        }
        byte[] info = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (info.length > 200) {
            info = java.util.Arrays.copyOf(info, 200);
        }
        raw.add(packet(peerTag, new Chunk.Abort(false, List.of(new Chunk.ErrorCause(12, info))), false));
        close("aborted: " + reason, false);
    }

    // ======================================================================================== sans-IO

    /** {@link #handlePacket}: SCTP over DTLS ignores the addresses (RFC 8261). */
    @Override
    public void handleInput(Instant time, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        handlePacket(time, data);
    }

    /**
     * The next packet, copied into a buffer of its own, from and to {@link #NO_ADDRESS}, stamped with the
     * latest time the engine was given; the allocation-free {@link #pollPacket(Instant, ByteBuffer)} is the
     * fast path.
     */
    @Override
    public Transmit pollTransmit() {
        if (transmitBuf == null || transmitBuf.capacity() < pmtu.max()) {
            transmitBuf = ByteBuffer.allocate(pmtu.max());
        }
        int n = pollPacket(transmitBuf.clear());
        if (n == 0) {
            return null;
        }
        byte[] copy = new byte[n];
        transmitBuf.flip().get(copy);
        return new Transmit(NO_ADDRESS, NO_ADDRESS, ByteBuffer.wrap(copy));
    }

    /**
     * A packet arrived (the allocation-free path); {@code packet} is read between position and limit during
     * the call only.
     */
    public void handlePacket(Instant time, ByteBuffer packet) {
        tick(time);
        packetsReceived++;
        int len = packet.remaining();
        if (len < ChunkCodec.COMMON_HEADER + 4 || len > rxBuf.length) {
            malformed++;
            return;
        }
        packet.get(packet.position(), rxBuf, 0, len);
        byte[] b = rxBuf;
        if (Bytes.getU16(b, 0) != cfg.remotePort() || Bytes.getU16(b, 2) != cfg.localPort()) {
            malformed++;
            return;
        }
        int stored = Checksum.stored(b, 0);
        boolean zeroOk = stored == 0 && cfg.zeroChecksum() && state != SctpState.CLOSED;
        if (!zeroOk && !checksum.verify(b, 0, len)) {
            badChecksums++;
            return;
        }
        int vtag = (int) Bytes.getU32(b, 4);
        boolean dataSeen = false;
        boolean immediate = false;
        int off = ChunkCodec.COMMON_HEADER;
        boolean first = true;
        while (off + 4 <= len) {
            int type = b[off] & 0xFF;
            int flags = b[off + 1] & 0xFF;
            int clen = Bytes.getU16(b, off + 2);
            if (clen < 4 || off + clen > len) {
                malformed++;
                break;
            }
            if (!tagOk(type, flags, vtag, first)) {
                badTags++;
                if (first) {
                    return;
                }
                break;
            }
            if (first && state == SctpState.ESTABLISHED) {
                peerEstablished = true; // an authentic packet after our COOKIE-ACK: the peer has it
            }
            first = false;
            if (state == SctpState.CLOSED && (type == ChunkType.DATA || type == ChunkType.I_DATA
                    || type == ChunkType.SACK)) {
                outOfTheBlue(type);
                break;
            }
            try {
                switch (type) {
                    case ChunkType.DATA, ChunkType.I_DATA -> {
                        int r = onData(type, flags, off, clen);
                        dataSeen = true;
                        immediate |= r != 0;
                    }
                    case ChunkType.SACK -> onSack(off, clen);
                    default -> {
                        if (!onControl(type, flags, off, clen)) {
                            off = len;
                            continue;
                        }
                    }
                }
            } catch (ParseException e) {
                malformed++;
                break;
            }
            if (state == SctpState.CLOSED && type != ChunkType.COOKIE_ECHO && type != ChunkType.INIT) {
                break;
            }
            off += Bytes.pad4(clen);
        }
        if (dataSeen) {
            afterData(immediate);
        }
        maybeFinishShutdown();
        maybeStartReconfig();
    }

    @Override
    public void handleTimeout(Instant time) {
        tick(time);
        if (t1At <= now) {
            onT1();
        }
        if (t3At <= now) {
            onT3();
        }
        if (ackAt <= now) {
            ackAt = NEVER;
            sackNow = true;
        }
        if (t2At <= now) {
            onT2();
        }
        if (pmtu.timerAt() <= now) {
            pmtu.onTimer(now);
            cc.mtu(pmtu.plpmtu());
        }
        if (reconfAt <= now) {
            reconfAt = NEVER;
            if (outstandingRequest != null) {
                control.add(new Chunk.ReConfig(List.of(outstandingRequest)));
                reconfAt = now + cc.rto();
            }
        }
        maybeStartReconfig();
    }

    @Override
    public SctpEvent pollEvent() {
        SctpEvent e = events.poll();
        if (e instanceof SctpEvent.Message m) {
            eventBytes -= m.data().length;
            // RFC 9260 6.2: tell the peer when the window opened again after it had closed.
            long rwnd = advertisedRwnd();
            if (lastAdvertisedRwnd < cfg.receiveWindow() / 2 && rwnd - lastAdvertisedRwnd >= cfg.receiveWindow() / 4
                    && isOpen()) {
                sackNow = true;
            }
        }
        return e;
    }

    @Override
    public Instant pollTimeout() {
        long t = Math.min(Math.min(Math.min(t1At, t3At), Math.min(Math.min(ackAt, t2At), reconfAt)),
                pmtu.timerAt());
        if (t == NEVER) {
            return null;
        }
        // A deadline that moved later (the T3 timer restarts on every SACK) keeps the earlier Instant: a call
        // to handleTimeout before anything is due is harmless, and this spares an allocation per packet.
        if (t != cachedTimeoutNanos && !(cachedTimeoutNanos < t && cachedTimeoutNanos > now)) {
            cachedTimeoutNanos = t;
            cachedTimeout = Instant.ofEpochSecond(t / 1_000_000_000L, t % 1_000_000_000L);
        }
        return cachedTimeout;
    }

    /**
     * Writes the next packet to send at {@code dst}'s position and advances the position past it (the
     * allocation-free path). {@code time} is when it leaves: what is sent is stamped with it (round trip,
     * retransmission timer), and the application may have queued data since the engine last heard the time.
     *
     * @return the packet's length, or 0 when there is nothing to send now
     * @throws IllegalArgumentException when {@code dst} has less room than {@link #maxMtu()}
     */
    public int pollPacket(Instant time, ByteBuffer dst) {
        tick(time);
        return pollPacket(dst);
    }

    private int pollPacket(ByteBuffer dst) {
        if (dst.remaining() < pmtu.max()) {
            throw new IllegalArgumentException("need " + pmtu.max() + " bytes of room, have " + dst.remaining());
        }
        byte[] r = raw.poll();
        if (r != null) {
            dst.put(r);
            packetsSent++;
            return r.length;
        }
        if (state == SctpState.CLOSED || state == SctpState.COOKIE_WAIT) {
            return 0;
        }
        maybeStartReconfig();
        maybeFinishShutdown();
        if (!raw.isEmpty()) {
            return pollPacket(dst);
        }
        // A probe waits for the control chunks (a COOKIE-ACK first of all) and for the peer to be established:
        // a peer still in COOKIE-ECHOED drops a HEARTBEAT, and the lost probe would cost a PROBE_TIMER.
        boolean probe = pmtu.probeDue() && state == SctpState.ESTABLISHED && peerEstablished && control.isEmpty();
        int len = probe ? probe() : build();
        if (len == 0) {
            return 0;
        }
        dst.put(txBuf, 0, len);
        packetsSent++;
        return len;
    }

    // ================================================================================== helpers: time

    private void tick(Instant time) {
        long t = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        if (t > now) {
            now = t;
        }
        while (!unstamped.isEmpty()) {
            OutMessage m = unstamped.poll();
            m.expiresAt = now + m.lifetime;
        }
    }

    private int nonZeroTag() {
        int t;
        do {
            t = random.nextInt();
        } while (t == 0);
        return t;
    }

    private boolean isOpen() {
        return state == SctpState.ESTABLISHED || state == SctpState.SHUTDOWN_PENDING
                || state == SctpState.SHUTDOWN_SENT || state == SctpState.SHUTDOWN_RECEIVED;
    }

    // ============================================================================ verification tags

    /** RFC 9260 8.5: which tag each chunk must carry. */
    private boolean tagOk(int type, int flags, int vtag, boolean first) {
        switch (type) {
            case ChunkType.INIT:
                return vtag == 0 && first;
            case ChunkType.ABORT:
            case ChunkType.SHUTDOWN_COMPLETE:
                if (state == SctpState.CLOSED) {
                    return true; // nothing to tear down; handled as out of the blue
                }
                return (flags & 1) == 0 ? vtag == localTag : vtag == peerTag;
            case ChunkType.COOKIE_ECHO:
                return true; // checked against the cookie (RFC 9260 5.2.4)
            case ChunkType.SHUTDOWN_ACK:
                return state == SctpState.CLOSED || vtag == localTag;
            default:
                if (state == SctpState.CLOSED) {
                    return true; // out of the blue, answered below
                }
                return vtag == localTag;
        }
    }

    // =========================================================================================== DATA

    /** Returns non-zero when a SACK should go out at once. */
    private int onData(int type, int flags, int off, int clen) throws ParseException {
        boolean idata = type == ChunkType.I_DATA;
        int hdr = idata ? ChunkCodec.I_DATA_HEADER : ChunkCodec.DATA_HEADER;
        if (clen <= hdr) {
            throw new ParseException("DATA without user data");
        }
        if (!isOpen() && state != SctpState.COOKIE_ECHOED) {
            return 0;
        }
        if (state == SctpState.COOKIE_ECHOED) {
            return 0; // the peer's DATA before our COOKIE-ACK arrives: it will be retransmitted
        }
        if (idata != interleaved) {
            malformed++; // RFC 8260 2.2: the wrong kind for this association
            return 0;
        }
        byte[] b = rxBuf;
        int tsn = (int) Bytes.getU32(b, off + 4);
        int stream = Bytes.getU16(b, off + 8);
        int immediate = (flags & ChunkType.FLAG_IMMEDIATE) != 0 ? 1 : 0;
        if (rx.received(tsn)) {
            duplicateTsns++;
            if (dupCount < MAX_DUPS) {
                dups[dupCount++] = tsn;
            }
            return 1;
        }
        if (!rx.inWindow(tsn)) {
            outOfWindow++;
            return 1;
        }
        int payload = clen - hdr;
        long held = reasm.buffered() + eventBytes;
        if (held + payload > cfg.receiveWindow() && tsn - rx.highest() > 0) {
            outOfWindow++; // RFC 9260 6.2: no room, drop the new data beyond the highest TSN
            return 1;
        }
        rx.mark(tsn);
        if (stream >= inStreams) {
            invalidStreams++; // RFC 9260 6.5: acknowledge, drop, and report
            byte[] info = new byte[4];
            Bytes.putU16(info, 0, stream);
            control.add(new Chunk.Error(List.of(new Chunk.ErrorCause(1, info))));
            return 1;
        }
        if (idata) {
            int mid = (int) Bytes.getU32(b, off + 12);
            int ppidOrFsn = (int) Bytes.getU32(b, off + 16);
            reasm.idata(stream, mid, ppidOrFsn, flags, b, off + hdr, payload);
        } else {
            int ssn = Bytes.getU16(b, off + 10);
            int ppid = (int) Bytes.getU32(b, off + 12);
            reasm.data(tsn, stream, ssn, ppid, flags, b, off + hdr, payload);
        }
        if (deferredReset != null && rx.cumTsn() - deferredReset.lastTsn() >= 0) {
            performIncomingReset(deferredReset);
            deferredReset = null;
        }
        return immediate;
    }

    private void afterData(boolean immediate) {
        // RFC 9260 6.2 / 6.7: SACK at once on gaps, duplicates, or every second packet; else within the delay.
        if (immediate || rx.hasGaps() || dupCount > 0) {
            sackNow = true;
            return;
        }
        packetsSinceSack++;
        if (packetsSinceSack >= 2) {
            sackNow = true;
        } else if (ackAt == NEVER) {
            ackAt = now + cfg.delayedAckMillis() * 1_000_000L;
        }
    }

    private void deliver(int stream, int ppid, byte[] data, boolean unordered) {
        eventBytes += data.length;
        events.add(new SctpEvent.Message(stream, ppid, data, unordered));
    }

    private long advertisedRwnd() {
        return Math.max(0, cfg.receiveWindow() - reasm.buffered() - eventBytes);
    }

    // =========================================================================================== SACK

    private void onSack(int off, int clen) throws ParseException {
        if (clen < 16) {
            throw new ParseException("short SACK");
        }
        byte[] b = rxBuf;
        int cum = (int) Bytes.getU32(b, off + 4);
        long aRwnd = Bytes.getU32(b, off + 8);
        int nGaps = Bytes.getU16(b, off + 12);
        int nDups = Bytes.getU16(b, off + 14);
        if (16 + 4L * nGaps + 4L * nDups > clen) {
            throw new ParseException("SACK blocks past its end");
        }
        if (!isOpen()) {
            return;
        }
        processAck(cum, aRwnd, b, off + 16, nGaps);
    }

    /** RFC 9260 6.2.1 and 7.2: cumulative ack, gap blocks, miss indications, window updates. */
    private void processAck(int cum, long aRwnd, byte[] b, int blocksAt, int nGaps) {
        int cumAck = out.firstTsn() - 1;
        if (cum - cumAck < 0) {
            return; // an old SACK, arrived out of order
        }
        int highestSent = out.nextTsn() - 1;
        if (cum - highestSent > 0) {
            malformed++; // acknowledges what was never sent
            return;
        }
        long flightBefore = flight;
        long acked = 0;
        boolean cumAdvanced = cum != cumAck;
        sackRttSample = NEVER;
        while (out.firstTsn() - cum <= 0) {
            OutChunk c = out.removeFirst();
            if (!c.acked && !c.abandoned) {
                acked += c.length;
                rttCheck(c);
                if (c.transmissions == 1) {
                    sackRttSample = Math.min(sackRttSample, now - c.sentAt);
                }
            }
            if (c.inFlight) {
                flight -= c.length;
            }
            chunkGone(c);
            out.release(c);
        }
        // Gap blocks, as absolute TSNs; only ranges not in the previous SACK are new (no reneging here).
        if (curStarts.length < nGaps) {
            curStarts = new int[nGaps];
            curEnds = new int[nGaps];
        }
        int n = 0;
        int htna = cum;
        boolean newlyAcked = false;
        int p = 0;
        for (int i = 0; i < nGaps; i++) {
            int s = cum + Bytes.getU16(b, blocksAt + 4 * i);
            int e = cum + Bytes.getU16(b, blocksAt + 4 * i + 2);
            if (e - s < 0 || s - cum <= 0 || e - highestSent > 0 || (n > 0 && s - curEnds[n - 1] <= 0)) {
                continue; // malformed block
            }
            curStarts[n] = s;
            curEnds[n] = e;
            n++;
            int t = s;
            while (t - e <= 0) {
                while (p < prevCount && prevEnds[p] - t < 0) {
                    p++;
                }
                if (p < prevCount && prevStarts[p] - t <= 0) {
                    t = prevEnds[p] + 1; // already acknowledged by the previous SACK
                    continue;
                }
                int stop = p < prevCount && prevStarts[p] - e <= 0 ? prevStarts[p] - 1 : e;
                for (; t - stop <= 0; t++) {
                    OutChunk c = out.get(t);
                    if (c != null && !c.acked) {
                        c.acked = true;
                        if (!c.abandoned) {
                            acked += c.length;
                            rttCheck(c);
                            if (c.transmissions == 1) {
                                sackRttSample = Math.min(sackRttSample, now - c.sentAt);
                            }
                        }
                        if (c.inFlight) {
                            c.inFlight = false;
                            flight -= c.length;
                        }
                        newlyAcked = true;
                        htna = t;
                    }
                }
            }
        }
        int[] ts = prevStarts;
        int[] te = prevEnds;
        prevStarts = curStarts;
        prevEnds = curEnds;
        prevCount = n;
        curStarts = ts;
        curEnds = te;

        if (cumAdvanced) {
            errorCount = 0;
            t3Strikes = 0;
            pmtu.dataAcknowledged(now);
            cc.cumulativeAck(cum);
        }
        // RFC 9260 7.2.4: miss indications for holes below the highest TSN newly acknowledged (HTNA).
        if (newlyAcked && n > 0) {
            boolean marked = false;
            int hole = cum + 1;
            for (int i = 0; i < n && prevStarts[i] - htna <= 0; i++) {
                for (int t = hole; t - prevStarts[i] < 0; t++) {
                    OutChunk c = out.get(t);
                    if (c != null && !c.acked && !c.abandoned && c.inFlight && !c.fastRetransmitted) {
                        if (++c.misses >= 3) {
                            c.fastRetransmitted = true;
                            markForRetransmit(c);
                            fastRetransmits++;
                            marked = true;
                        }
                    }
                }
                hole = prevEnds[i] + 1;
            }
            if (marked) {
                cc.lossDetected(highestSent);
                fastRetransmitNow = true;
            }
        }
        if (cumAdvanced) {
            cc.acknowledged(acked, flightBefore, cum, out.nextTsn(), sackRttSample);
        }
        if (flight <= 0) {
            flight = 0;
            cc.idle();
        }
        peerRwnd = Math.max(0, aRwnd - flight);
        // RFC 9260 6.3.2: the retransmission timer follows the earliest outstanding chunk.
        if (flight == 0 && retx.isEmpty()) {
            t3At = NEVER;
        } else if (cumAdvanced) {
            t3At = now + cc.rto();
        }
        advancePeerAckPoint();
        maybeSendDeferredShutdownAck();
    }

    private void rttCheck(OutChunk c) {
        if (rttActive && c.tsn == rttTsn) {
            rttActive = false;
            if (c.transmissions == 1) {
                // Karn: only chunks sent once give a sample (RFC 9260 6.3.1 C5)
                cc.rttSample(now - c.sentAt);
            }
        }
    }

    /** A chunk leaves the outstanding queue (acknowledged cumulatively or skipped). */
    private void chunkGone(OutChunk c) {
        if (!c.abandoned) {
            sendBufferUsed -= c.length;
        }
        OutMessage m = c.message;
        if (m != null) {
            m.chunksOutstanding--;
        }
    }

    private void markForRetransmit(OutChunk c) {
        if (c.inFlight) {
            c.inFlight = false;
            flight -= c.length;
        }
        OutMessage m = c.message;
        if ((m.maxRetransmits >= 0 && c.transmissions > m.maxRetransmits) || now >= m.expiresAt) {
            abandonMessage(m);
            return;
        }
        if (!c.queuedForRetransmit) {
            c.queuedForRetransmit = true;
            retx.add(c.tsn);
        }
    }

    /** RFC 3758 3.5 A3/A4: every chunk of the message is abandoned, and the rest is never sent. */
    private void abandonMessage(OutMessage m) {
        if (m.abandoned) {
            return;
        }
        m.abandoned = true;
        abandoned++;
        if (m.started()) {
            for (int t = Math.max(m.firstTsn - out.firstTsn(), 0) + out.firstTsn(); t - m.lastTsn <= 0; t++) {
                OutChunk c = out.get(t);
                if (c != null && c.message == m && !c.abandoned) {
                    c.abandoned = true;
                    if (!c.acked) {
                        sendBufferUsed -= c.length;
                    } else {
                        sendBufferUsed -= c.length;
                    }
                    if (c.inFlight) {
                        c.inFlight = false;
                        flight -= c.length;
                    }
                }
            }
        }
        if (!m.fullyChunked()) {
            long rest = m.length - m.sent;
            sched.abandon(m);
            sendBufferUsed -= rest;
            m.sent = m.length;
        }
        forwardTsnNeeded |= peerForwardTsn;
    }

    /** RFC 3758 3.5 C1-C2. */
    private void advancePeerAckPoint() {
        if (!peerForwardTsn) {
            return;
        }
        int cum = out.firstTsn() - 1;
        if (advancedPeerAckPoint - cum < 0) {
            advancedPeerAckPoint = cum;
        }
        int t = advancedPeerAckPoint + 1;
        OutChunk c;
        while ((c = out.get(t)) != null && c.abandoned) {
            advancedPeerAckPoint = t;
            t++;
        }
        if (advancedPeerAckPoint - cum > 0) {
            forwardTsnNeeded = true;
        } else {
            forwardTsnNeeded = false;
        }
    }

    // ====================================================================================== timers

    private void onT1() {
        t1Count++;
        if (t1Count > cfg.maxInitRetransmits()) {
            t1At = NEVER;
            close("no answer to " + (state == SctpState.COOKIE_WAIT ? "INIT" : "COOKIE-ECHO"), false);
            return;
        }
        long backoff = Math.min(cc.rto() << Math.min(t1Count, 16), cfg.rtoMaxMillis() * 1_000_000L);
        t1At = now + backoff;
        if (state == SctpState.COOKIE_WAIT) {
            raw.add(initPacket);
        } else if (state == SctpState.COOKIE_ECHOED) {
            control.addFirst(new Chunk.CookieEcho(cookieEcho));
        } else {
            t1At = NEVER;
        }
    }

    /** RFC 9260 6.3.3. */
    private void onT3() {
        t3At = NEVER;
        if (!isOpen() || out.isEmpty()) {
            return;
        }
        timeouts++;
        errorCount++;
        if (errorCount > cfg.maxRetransmits()) {
            abort("peer unreachable: " + errorCount + " consecutive timeouts");
            return;
        }
        // RFC 8899 4.3 (loss of the data sent at one size): a second timeout in a row above the base MTU looks
        // like a black hole for the larger packets: back to the base at once (every chunk fits it), search later.
        if (++t3Strikes >= 2 && pmtu.blackHole(now)) {
            cc.mtu(pmtu.plpmtu());
        }
        cc.timeout();
        rttActive = false;
        for (int t = out.firstTsn(); t - out.nextTsn() < 0; t++) {
            OutChunk c = out.get(t);
            if (c != null && !c.acked && !c.abandoned) {
                markForRetransmit(c);
            }
        }
        advancePeerAckPoint();
        t3At = now + cc.rto();
    }

    private void onT2() {
        t2At = NEVER;
        errorCount++;
        if (errorCount > cfg.maxRetransmits()) {
            abort("no answer to SHUTDOWN");
            return;
        }
        if (state == SctpState.SHUTDOWN_SENT) {
            control.add(new Chunk.Shutdown(rx.cumTsn()));
        } else if (state == SctpState.SHUTDOWN_ACK_SENT) {
            control.add(new Chunk.ShutdownAck());
        } else {
            return;
        }
        cc.backoff();
        t2At = now + cc.rto();
    }

    // ================================================================================ control chunks

    /** Returns false when the rest of the packet must be ignored. */
    private boolean onControl(int type, int flags, int off, int clen) throws ParseException {
        ByteReader v = ByteReader.of(rxBuf, off + 4, clen - 4);
        switch (type) {
            case ChunkType.INIT -> onInit((Chunk.Init) ChunkCodec.parseChunk(type, flags, v));
            case ChunkType.INIT_ACK -> onInitAck((Chunk.Init) ChunkCodec.parseChunk(type, flags, v));
            case ChunkType.COOKIE_ECHO -> onCookieEcho(v.bytes(v.remaining()));
            case ChunkType.COOKIE_ACK -> {
                if (state == SctpState.COOKIE_ECHOED) {
                    established();
                    peerEstablished = true;
                }
            }
            case ChunkType.HEARTBEAT -> {
                if (isOpen()) {
                    Chunk.Heartbeat h = (Chunk.Heartbeat) ChunkCodec.parseChunk(type, flags, v);
                    control.add(new Chunk.Heartbeat(true, h.info()));
                }
            }
            case ChunkType.HEARTBEAT_ACK -> {
                errorCount = 0;
                if (isOpen()) {
                    onHeartbeatAck(off, clen);
                }
            }
            case ChunkType.PAD -> {
                // RFC 4820 3: padding, ignored (it fills the peer's path MTU probes)
            }
            case ChunkType.ABORT -> {
                if (state != SctpState.CLOSED) {
                    Chunk.Abort a = (Chunk.Abort) ChunkCodec.parseChunk(type, flags, v);
                    close("peer aborted" + describe(a.causes()), false);
                }
                return false;
            }
            case ChunkType.SHUTDOWN -> onShutdown(((Chunk.Shutdown) ChunkCodec.parseChunk(type, flags, v)).cumTsn());
            case ChunkType.SHUTDOWN_ACK -> onShutdownAck();
            case ChunkType.SHUTDOWN_COMPLETE -> {
                if (state == SctpState.SHUTDOWN_ACK_SENT) {
                    close("shut down", true);
                }
                return false;
            }
            case ChunkType.ERROR -> {
                ChunkCodec.parseChunk(type, flags, v); // counted, nothing to undo
            }
            case ChunkType.FORWARD_TSN -> onForwardTsn((Chunk.ForwardTsn) ChunkCodec.parseChunk(type, flags, v));
            case ChunkType.I_FORWARD_TSN -> onIForwardTsn((Chunk.IForwardTsn) ChunkCodec.parseChunk(type, flags, v));
            case ChunkType.RE_CONFIG -> onReConfig((Chunk.ReConfig) ChunkCodec.parseChunk(type, flags, v));
            default -> {
                if (state == SctpState.CLOSED) {
                    return false;
                }
                // RFC 9260 3.2: the two high bits of an unknown type say what to do.
                if ((type & 0x40) != 0) {
                    byte[] info = new byte[Math.min(clen, 64)];
                    System.arraycopy(rxBuf, off, info, 0, info.length);
                    control.add(new Chunk.Error(List.of(new Chunk.ErrorCause(6, info))));
                }
                return (type & 0x80) != 0;
            }
        }
        if (state == SctpState.CLOSED && type != ChunkType.INIT && type != ChunkType.COOKIE_ECHO
                && type != ChunkType.COOKIE_ACK && type != ChunkType.ERROR) {
            outOfTheBlue(type);
            return false;
        }
        return true;
    }

    /** Our only heartbeats are path MTU probes: the echoed info is checked against the probe in progress. */
    private void onHeartbeatAck(int off, int clen) {
        int plen = clen >= 8 ? Bytes.getU16(rxBuf, off + 6) : 0;
        if (clen < 8 || Bytes.getU16(rxBuf, off + 4) != ParamType.HEARTBEAT_INFO || plen < 4 || plen > clen - 4) {
            malformed++;
            return;
        }
        if (pmtu.onHeartbeatAck(rxBuf, off + 8, plen - 4, now)) {
            cc.mtu(pmtu.plpmtu());
        }
    }

    /** RFC 9260 8.4: a packet for no association. */
    private void outOfTheBlue(int type) {
        int vtag = (int) Bytes.getU32(rxBuf, 4);
        if (type == ChunkType.SHUTDOWN_ACK) {
            raw.add(packet(vtag, new Chunk.ShutdownComplete(true), true));
        } else if (type != ChunkType.SHUTDOWN_COMPLETE && type != ChunkType.ABORT && raw.size() < 4) {
            raw.add(packet(vtag, new Chunk.Abort(true, List.of()), true)); // 8.4 (8), the peer's own tag
        }
    }

    private static String describe(List<Chunk.ErrorCause> causes) {
        if (causes.isEmpty()) {
            return "";
        }
        Chunk.ErrorCause c = causes.get(0);
        if (c.code() == 12) {
            return ": " + new String(c.info(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return ": cause " + c.code();
    }

    private Chunk.Init ourInit(boolean ack, int tag, int tsn, byte[] cookie) {
        byte[] ext = cfg.interleaving()
                ? new byte[] {(byte) ChunkType.RE_CONFIG, (byte) ChunkType.FORWARD_TSN, (byte) ChunkType.I_DATA,
                        (byte) ChunkType.I_FORWARD_TSN}
                : new byte[] {(byte) ChunkType.RE_CONFIG, (byte) ChunkType.FORWARD_TSN};
        return new Chunk.Init(ack, tag, cfg.receiveWindow(), cfg.outboundStreams(), cfg.inboundStreams(), tsn, ext,
                true, cfg.zeroChecksum() ? 1 : -1, cookie, List.of());
    }

    private int features(Chunk.Init init) {
        int f = 0;
        if (init.forwardTsn() || init.supports(ChunkType.FORWARD_TSN)) {
            f |= StateCookie.FEATURE_FORWARD_TSN;
        }
        if (init.supports(ChunkType.RE_CONFIG)) {
            f |= StateCookie.FEATURE_RECONFIG;
        }
        if (init.supports(ChunkType.I_DATA) && cfg.interleaving()) {
            f |= StateCookie.FEATURE_IDATA;
        }
        if (init.zeroChecksumEdmid() == 1 && cfg.zeroChecksum()) {
            f |= StateCookie.FEATURE_ZERO_CHECKSUM;
        }
        return f;
    }

    /** RFC 9260 5.1 B, 5.2.1, 5.2.2. */
    private void onInit(Chunk.Init init) {
        int myTag;
        int myTsn;
        int tieLocal = 0;
        int tiePeer = 0;
        switch (state) {
            case CLOSED -> {
                myTag = nonZeroTag();
                myTsn = random.nextInt();
            }
            case COOKIE_WAIT, COOKIE_ECHOED -> {
                myTag = localTag; // 5.2.1: answer with the parameters of our own INIT
                myTsn = localInitialTsn;
            }
            case SHUTDOWN_ACK_SENT -> {
                control.add(new Chunk.ShutdownAck());
                return;
            }
            default -> {
                myTag = nonZeroTag(); // 5.2.2: a possible restart of the peer
                myTsn = random.nextInt();
                tieLocal = localTag;
                tiePeer = peerTag;
            }
        }
        int os = Math.min(cfg.outboundStreams(), init.inboundStreams());
        int is = Math.min(cfg.inboundStreams(), init.outboundStreams());
        byte[] cookie = cookies.encode(new StateCookie.Fields(now, myTag, init.initiateTag(), myTsn,
                init.initialTsn(), init.aRwnd(), os, is, features(init), tieLocal, tiePeer));
        Chunk.Init ack = ourInit(true, myTag, myTsn, cookie);
        if (!init.unrecognized().isEmpty()) {
            ack = new Chunk.Init(true, ack.initiateTag(), ack.aRwnd(), ack.outboundStreams(), ack.inboundStreams(),
                    ack.initialTsn(), ack.supportedExtensions(), ack.forwardTsn(), ack.zeroChecksumEdmid(), cookie,
                    init.unrecognized());
        }
        raw.add(packet(init.initiateTag(), ack, true));
    }

    /** RFC 9260 5.1 C. */
    private void onInitAck(Chunk.Init ack) {
        if (state != SctpState.COOKIE_WAIT) {
            return; // 5.2.3: unexpected, discard
        }
        setUp(localTag, ack.initiateTag(), localInitialTsn, ack.initialTsn(), ack.aRwnd(),
                Math.min(cfg.outboundStreams(), ack.inboundStreams()),
                Math.min(cfg.inboundStreams(), ack.outboundStreams()), features(ack));
        cookieEcho = ack.cookie();
        control.addFirst(new Chunk.CookieEcho(cookieEcho));
        state = SctpState.COOKIE_ECHOED;
        t1Count = 0;
        t1At = now + cc.rto();
    }

    /** RFC 9260 5.1 D and 5.2.4. */
    private void onCookieEcho(byte[] cookie) {
        StateCookie.Fields f = cookies.decode(cookie);
        int vtag = (int) Bytes.getU32(rxBuf, 4);
        if (f == null || vtag != f.localTag()) {
            badTags++;
            return;
        }
        if (now - f.createdAt() > cfg.cookieLifetimeMillis() * 1_000_000L) {
            byte[] staleness = new byte[4];
            Bytes.putU32(staleness, 0, (now - f.createdAt()) / 1000);
            raw.add(packet(f.peerTag(), new Chunk.Error(List.of(new Chunk.ErrorCause(3, staleness))), true));
            return;
        }
        if (state == SctpState.CLOSED) {
            setUp(f.localTag(), f.peerTag(), f.localTsn(), f.peerTsn(), f.peerRwnd(), f.outStreams(), f.inStreams(),
                    f.peerFeatures());
            control.add(new Chunk.CookieAck());
            established();
            return;
        }
        boolean localMatch = f.localTag() == localTag;
        boolean peerMatch = f.peerTag() == peerTag;
        if (!localMatch && !peerMatch && f.tieLocal() == localTag && f.tiePeer() == peerTag && isOpen()) {
            // Case A: the peer restarted. Everything in flight is gone.
            restart(f);
            control.add(new Chunk.CookieAck());
            events.add(new SctpEvent.Restarted());
        } else if (localMatch && !peerMatch) {
            // Case B: the INITs crossed; take the peer's tag from the cookie.
            if (state == SctpState.COOKIE_WAIT || state == SctpState.COOKIE_ECHOED) {
                setUp(f.localTag(), f.peerTag(), f.localTsn(), f.peerTsn(), f.peerRwnd(), f.outStreams(),
                        f.inStreams(), f.peerFeatures());
            } else {
                peerTag = f.peerTag();
            }
            control.add(new Chunk.CookieAck());
            if (state == SctpState.COOKIE_WAIT || state == SctpState.COOKIE_ECHOED) {
                established();
            }
        } else if (localMatch) {
            // Case D: both tags match.
            control.add(new Chunk.CookieAck());
            if (state == SctpState.COOKIE_WAIT || state == SctpState.COOKIE_ECHOED) {
                established();
            }
        }
        // Case C and anything else: silently discarded.
    }

    private void setUp(int myTag, int theirTag, int myTsn, int theirTsn, long theirRwnd, int os, int is,
                       int features) {
        localTag = myTag;
        peerTag = theirTag;
        localInitialTsn = myTsn;
        outStreams = os;
        inStreams = is;
        peerForwardTsn = (features & StateCookie.FEATURE_FORWARD_TSN) != 0;
        peerReconfig = (features & StateCookie.FEATURE_RECONFIG) != 0;
        interleaved = (features & StateCookie.FEATURE_IDATA) != 0;
        sendZeroChecksum = (features & StateCookie.FEATURE_ZERO_CHECKSUM) != 0;
        sched.interleave(interleaved);
        rx.reset(theirTsn);
        reasm.reset(interleaved, theirTsn);
        out.reset(myTsn);
        retx.clear();
        prevCount = 0;
        advancedPeerAckPoint = myTsn - 1;
        forwardTsnNeeded = false;
        peerRwnd = theirRwnd;
        flight = 0;
        pmtu.reset();
        cc.mtu(pmtu.plpmtu());
        cc.reset(theirRwnd, myTsn);
        t3Strikes = 0;
        reqSeqOut = myTsn;
        peerReqSeqNext = theirTsn;
        outstandingRequest = null;
        responseToSend = null;
        lastResponse = null;
        deferredReset = null;
        dupCount = 0;
        sackNow = false;
        lastAdvertisedRwnd = cfg.receiveWindow();
        packetsSinceSack = 0;
        ackAt = NEVER;
        t3At = NEVER;
        rttActive = false;
        errorCount = 0;
    }

    private void established() {
        state = SctpState.ESTABLISHED;
        peerEstablished = false;
        t1At = NEVER;
        errorCount = 0;
        pmtu.start(now);
        events.add(new SctpEvent.Connected(outStreams, inStreams, interleaved));
    }

    /** RFC 9260 5.2.4 A: reset the association to the cookie's values. */
    private void restart(StateCookie.Fields f) {
        sched.clear();
        sendBufferUsed = 0;
        setUp(f.localTag(), f.peerTag(), f.localTsn(), f.peerTsn(), f.peerRwnd(), f.outStreams(), f.inStreams(),
                f.peerFeatures());
        cc.resetRtt();
        state = SctpState.ESTABLISHED;
        peerEstablished = false;
        pmtu.start(now);
        pendingRequests.clear();
        reconfAt = NEVER;
        t2At = NEVER;
    }

    private void close(String reason, boolean graceful) {
        state = SctpState.CLOSED;
        t1At = NEVER;
        t2At = NEVER;
        t3At = NEVER;
        ackAt = NEVER;
        reconfAt = NEVER;
        pmtu.stop();
        control.clear();
        sched.clear();
        retx.clear();
        pendingRequests.clear();
        outstandingRequest = null;
        sackNow = false;
        events.add(new SctpEvent.Closed(reason, graceful));
    }

    // ================================================================================ shutdown (9.2)

    private void onShutdown(int cumTsn) {
        if (!isOpen()) {
            return;
        }
        processAck(cumTsn, peerRwnd + flight, rxBuf, 0, 0);
        if (state == SctpState.SHUTDOWN_SENT) {
            control.add(new Chunk.ShutdownAck());
            state = SctpState.SHUTDOWN_ACK_SENT;
            t2At = now + cc.rto();
            return;
        }
        if (state == SctpState.ESTABLISHED || state == SctpState.SHUTDOWN_PENDING) {
            state = SctpState.SHUTDOWN_RECEIVED;
        }
        maybeSendDeferredShutdownAck();
    }

    private void maybeSendDeferredShutdownAck() {
        if (state == SctpState.SHUTDOWN_RECEIVED && out.isEmpty() && !sched.hasData()) {
            sackNow = true;
            control.add(new Chunk.ShutdownAck());
            state = SctpState.SHUTDOWN_ACK_SENT;
            t2At = now + cc.rto();
            t3At = NEVER;
        }
    }

    private void maybeFinishShutdown() {
        if (state == SctpState.SHUTDOWN_PENDING && out.isEmpty() && !sched.hasData()) {
            control.add(new Chunk.Shutdown(rx.cumTsn()));
            state = SctpState.SHUTDOWN_SENT;
            t2At = now + cc.rto();
            t3At = NEVER;
        }
        maybeSendDeferredShutdownAck();
    }

    private void onShutdownAck() {
        if (state == SctpState.SHUTDOWN_SENT || state == SctpState.SHUTDOWN_ACK_SENT) {
            raw.add(packet(peerTag, new Chunk.ShutdownComplete(false), false));
            close("shut down", true);
        }
    }

    // ========================================================================== FORWARD-TSN (RFC 3758)

    private void onForwardTsn(Chunk.ForwardTsn f) {
        if (!isOpen() || interleaved) {
            return;
        }
        int newCum = f.newCumTsn();
        if (newCum - rx.cumTsn() <= 0) {
            sackNow = true; // RFC 3758 3.6: stale, but answer so the sender learns where we are
            return;
        }
        if (newCum - rx.cumTsn() > windowTsns) {
            malformed++; // far beyond anything that could have been sent: forged
            return;
        }
        rx.forwardTo(newCum);
        int[] streams = f.streams();
        int[] ssns = f.ssns();
        int keep = 0;
        for (int i = 0; i < streams.length; i++) {
            if (streams[i] < inStreams) {
                streams[keep] = streams[i];
                ssns[keep] = ssns[i];
                keep++;
            }
        }
        reasm.forwardTsn(newCum, java.util.Arrays.copyOf(streams, keep), java.util.Arrays.copyOf(ssns, keep));
        sackNow = true;
        if (deferredReset != null && rx.cumTsn() - deferredReset.lastTsn() >= 0) {
            performIncomingReset(deferredReset);
            deferredReset = null;
        }
    }

    private void onIForwardTsn(Chunk.IForwardTsn f) {
        if (!isOpen() || !interleaved) {
            return;
        }
        int newCum = f.newCumTsn();
        if (newCum - rx.cumTsn() <= 0) {
            sackNow = true;
            return;
        }
        if (newCum - rx.cumTsn() > windowTsns) {
            malformed++;
            return;
        }
        rx.forwardTo(newCum);
        int n = 0;
        for (int s : f.streams()) {
            if (s < inStreams) {
                n++;
            }
        }
        int[] st = new int[n];
        boolean[] un = new boolean[n];
        int[] mids = new int[n];
        int k = 0;
        for (int i = 0; i < f.streams().length; i++) {
            if (f.streams()[i] < inStreams) {
                st[k] = f.streams()[i];
                un[k] = f.unordered()[i];
                mids[k] = f.mids()[i];
                k++;
            }
        }
        reasm.iforwardTsn(st, un, mids);
        sackNow = true;
    }

    /** The FORWARD-TSN for the current advanced peer ack point (RFC 3758 3.5 C4). */
    private Chunk forwardTsnChunk() {
        int cum = out.firstTsn() - 1;
        List<int[]> entries = new ArrayList<>();
        for (int t = cum + 1; t - advancedPeerAckPoint <= 0; t++) {
            OutChunk c = out.get(t);
            if (c == null || c.message == null) {
                continue;
            }
            OutMessage m = c.message;
            boolean unordered = m.unordered;
            if (!interleaved && unordered) {
                continue;
            }
            boolean found = false;
            for (int[] e : entries) {
                if (e[0] == m.stream && (e[1] == 1) == unordered) {
                    if (interleaved ? m.sequence - e[2] > 0 : ((m.sequence - e[2]) & 0xFFFF) < 0x8000) {
                        e[2] = m.sequence;
                    }
                    found = true;
                    break;
                }
            }
            if (!found) {
                entries.add(new int[] {m.stream, unordered ? 1 : 0, m.sequence});
            }
        }
        int n = entries.size();
        if (interleaved) {
            int[] st = new int[n];
            boolean[] un = new boolean[n];
            int[] mids = new int[n];
            for (int i = 0; i < n; i++) {
                st[i] = entries.get(i)[0];
                un[i] = entries.get(i)[1] == 1;
                mids[i] = entries.get(i)[2];
            }
            return new Chunk.IForwardTsn(advancedPeerAckPoint, st, un, mids);
        }
        int[] st = new int[n];
        int[] ssns = new int[n];
        for (int i = 0; i < n; i++) {
            st[i] = entries.get(i)[0];
            ssns[i] = entries.get(i)[2];
        }
        return new Chunk.ForwardTsn(advancedPeerAckPoint, st, ssns);
    }

    // =============================================================================== RE-CONFIG (RFC 6525)

    private void maybeStartReconfig() {
        if (outstandingRequest != null || pendingRequests.isEmpty() || state != SctpState.ESTABLISHED) {
            return;
        }
        Object next = pendingRequests.peek();
        ReConfigParam req;
        if (next instanceof int[] streams) {
            for (int id : streams) {
                OutStream s = sched.existing(id);
                if (s != null && !s.queue.isEmpty()) {
                    return; // 5.1.2: queued messages go first
                }
            }
            req = new ReConfigParam.OutgoingReset(reqSeqOut, peerReqSeqNext - 1, out.nextTsn() - 1, streams);
        } else {
            req = new ReConfigParam.AddStreams(true, reqSeqOut, (Integer) next);
        }
        pendingRequests.poll();
        outstandingRequest = req;
        control.add(new Chunk.ReConfig(List.of(req)));
        reconfAt = now + cc.rto();
    }

    private void onReConfig(Chunk.ReConfig rc) {
        if (!isOpen()) {
            return;
        }
        for (ReConfigParam p : rc.params()) {
            switch (p) {
                case ReConfigParam.OutgoingReset r -> onOutgoingResetRequest(r);
                case ReConfigParam.Response r -> onReconfigResponse(r);
                case ReConfigParam.AddStreams a -> onAddStreams(a);
                case ReConfigParam.IncomingReset r -> respond(r.requestSeq(), ReConfigParam.Response.DENIED);
                case ReConfigParam.SsnTsnReset r -> respond(r.requestSeq(), ReConfigParam.Response.DENIED);
                case ReConfigParam.Unknown u -> malformed++;
            }
        }
    }

    /** 5.2.1: is this the request we expect, a retransmission of the last one, or out of sequence? */
    private int checkSequence(int seq) {
        if (seq == peerReqSeqNext) {
            return 0;
        }
        if (seq == peerReqSeqNext - 1 && lastResponse != null) {
            return 1;
        }
        return -1;
    }

    private void respond(int seq, int result) {
        ReConfigParam.Response r = new ReConfigParam.Response(seq, result, false, 0, 0);
        control.add(new Chunk.ReConfig(List.of(r)));
        if (result != ReConfigParam.Response.IN_PROGRESS && seq == peerReqSeqNext) {
            lastResponse = r;
            peerReqSeqNext++;
        }
    }

    private void onOutgoingResetRequest(ReConfigParam.OutgoingReset r) {
        int c = checkSequence(r.requestSeq());
        if (c == 1) {
            control.add(new Chunk.ReConfig(List.of(lastResponse)));
            return;
        }
        if (c < 0) {
            control.add(new Chunk.ReConfig(List.of(new ReConfigParam.Response(r.requestSeq(),
                    ReConfigParam.Response.ERROR_BAD_SEQUENCE, false, 0, 0))));
            return;
        }
        for (int s : r.streams()) {
            if (s >= inStreams) {
                respond(r.requestSeq(), ReConfigParam.Response.DENIED);
                return;
            }
        }
        // 5.2.2: perform once everything up to the sender's last TSN has arrived.
        if (rx.cumTsn() - r.lastTsn() >= 0) {
            performIncomingReset(r);
            if (deferredReset != null && deferredReset.requestSeq() == r.requestSeq()) {
                deferredReset = null;
            }
        } else {
            deferredReset = r;
            respond(r.requestSeq(), ReConfigParam.Response.IN_PROGRESS);
        }
    }

    private void performIncomingReset(ReConfigParam.OutgoingReset r) {
        if (r.requestSeq() != peerReqSeqNext) {
            return;
        }
        int[] streams = r.streams();
        if (streams.length == 0) {
            streams = new int[inStreams];
            for (int i = 0; i < inStreams; i++) {
                streams[i] = i;
            }
        }
        reasm.resetStreams(streams);
        respond(r.requestSeq(), ReConfigParam.Response.SUCCESS_PERFORMED);
        events.add(new SctpEvent.IncomingStreamsReset(streams.clone()));
    }

    private void onAddStreams(ReConfigParam.AddStreams a) {
        int c = checkSequence(a.requestSeq());
        if (c == 1) {
            control.add(new Chunk.ReConfig(List.of(lastResponse)));
            return;
        }
        if (c < 0 || !a.outgoing()) {
            respond(a.requestSeq(), c < 0 ? ReConfigParam.Response.ERROR_BAD_SEQUENCE
                    : ReConfigParam.Response.DENIED);
            return;
        }
        if (inStreams + a.count() > cfg.inboundStreams()) {
            respond(a.requestSeq(), ReConfigParam.Response.DENIED);
            return;
        }
        inStreams += a.count();
        respond(a.requestSeq(), ReConfigParam.Response.SUCCESS_PERFORMED);
        events.add(new SctpEvent.StreamsChanged(outStreams, inStreams));
    }

    private void onReconfigResponse(ReConfigParam.Response r) {
        ReConfigParam req = outstandingRequest;
        if (req == null) {
            return;
        }
        int seq = req instanceof ReConfigParam.OutgoingReset o ? o.requestSeq()
                : ((ReConfigParam.AddStreams) req).requestSeq();
        if (r.responseSeq() != seq) {
            return;
        }
        if (r.result() == ReConfigParam.Response.IN_PROGRESS) {
            reconfAt = now + cc.rto(); // ask again later (5.2.7)
            return;
        }
        outstandingRequest = null;
        reconfAt = NEVER;
        reqSeqOut++;
        boolean ok = r.result() == ReConfigParam.Response.SUCCESS_PERFORMED
                || r.result() == ReConfigParam.Response.SUCCESS_NOTHING_TO_DO;
        if (req instanceof ReConfigParam.OutgoingReset o) {
            for (int id : o.streams()) {
                OutStream s = sched.stream(id);
                s.resetPending = false;
                if (ok) {
                    s.nextOrdered = 0;
                    s.nextUnordered = 0;
                }
            }
            events.add(ok ? new SctpEvent.OutgoingStreamsReset(o.streams().clone())
                    : new SctpEvent.StreamResetFailed(o.streams().clone()));
        } else if (req instanceof ReConfigParam.AddStreams a && ok) {
            outStreams += a.count();
            events.add(new SctpEvent.StreamsChanged(outStreams, inStreams));
        }
        maybeStartReconfig();
    }

    // ====================================================================================== sending

    /** Encodes a single-chunk packet with its own tag and checksum (INIT, stateless replies, ABORT). */
    private byte[] packet(int vtag, Chunk chunk, boolean crc) {
        byte[] b = new byte[ChunkCodec.COMMON_HEADER + ChunkCodec.size(chunk)];
        Bytes.putU16(b, 0, cfg.localPort());
        Bytes.putU16(b, 2, cfg.remotePort());
        Bytes.putU32(b, 4, vtag);
        ChunkCodec.encode(chunk, b, ChunkCodec.COMMON_HEADER);
        if (crc || !sendZeroChecksum) {
            checksum.seal(b, 0, b.length);
        }
        return b;
    }

    /** Assembles the next packet in txBuf: control chunks, SACK, FORWARD-TSN, then DATA (RFC 9260 6.10). */
    private int build() {
        byte[] b = txBuf;
        int mtu = pmtu.plpmtu();
        Bytes.putU16(b, 0, cfg.localPort());
        Bytes.putU16(b, 2, cfg.remotePort());
        Bytes.putU32(b, 4, peerTag);
        Bytes.putU32(b, 8, 0);
        int p = ChunkCodec.COMMON_HEADER;
        boolean cookieEchoIn = false;
        while (!control.isEmpty()) {
            Chunk c = control.peek();
            int size = ChunkCodec.size(c);
            if (p + size > mtu) {
                if (p == ChunkCodec.COMMON_HEADER) {
                    control.poll(); // cannot ever fit: drop it rather than stall
                    malformed++;
                    continue;
                }
                break;
            }
            control.poll();
            cookieEchoIn |= c instanceof Chunk.CookieEcho;
            p += ChunkCodec.encode(c, b, p);
        }
        boolean open = isOpen();
        boolean dataWaiting = open && (!retx.isEmpty() || (sched.hasData() && flight < cc.cwnd()));
        if (open && (sackNow || (ackAt != NEVER && dataWaiting)) && p + 16 <= mtu) {
            p = writeSack(b, p, mtu);
        }
        if (open && forwardTsnNeeded && peerForwardTsn) {
            Chunk f = forwardTsnChunk();
            int size = ChunkCodec.size(f);
            if (p + size <= mtu) {
                p += ChunkCodec.encode(f, b, p);
                forwardTsnNeeded = false;
                if (t3At == NEVER) {
                    t3At = now + cc.rto(); // C3: the FORWARD-TSN is resent if the ack point does not move
                }
            }
        }
        if (open && state != SctpState.SHUTDOWN_SENT) {
            p = writeData(b, p, mtu);
        } else if (state == SctpState.SHUTDOWN_SENT) {
            p = writeData(b, p, mtu);
        }
        if (p == ChunkCodec.COMMON_HEADER) {
            return 0;
        }
        if (sendZeroChecksum && !cookieEchoIn) {
            Bytes.putU32(b, 8, 0);
        } else {
            checksum.seal(b, 0, p);
        }
        return p;
    }

    /** A path MTU probe (RFC 8899 6.2): HEARTBEAT and PAD, alone, of exactly the probed size. */
    private int probe() {
        byte[] b = txBuf;
        Bytes.putU16(b, 0, cfg.localPort());
        Bytes.putU16(b, 2, cfg.remotePort());
        Bytes.putU32(b, 4, peerTag);
        Bytes.putU32(b, 8, 0);
        int len = pmtu.writeProbe(b, ChunkCodec.COMMON_HEADER, now);
        if (!sendZeroChecksum) {
            checksum.seal(b, 0, len);
        }
        return len;
    }

    private int writeSack(byte[] b, int p, int mtu) {
        int room = (mtu - p - 16) / 4;
        int nd = Math.min(dupCount, Math.max(0, room));
        int ng = rx.gapBlocks(gapStarts, gapEnds, Math.min(gapStarts.length, room - nd));
        long rwnd = advertisedRwnd();
        b[p] = (byte) ChunkType.SACK;
        b[p + 1] = 0;
        Bytes.putU16(b, p + 2, 16 + 4 * (ng + nd));
        Bytes.putU32(b, p + 4, rx.cumTsn());
        Bytes.putU32(b, p + 8, rwnd);
        Bytes.putU16(b, p + 12, ng);
        Bytes.putU16(b, p + 14, nd);
        int q = p + 16;
        for (int i = 0; i < ng; i++) {
            Bytes.putU16(b, q, gapStarts[i]);
            Bytes.putU16(b, q + 2, gapEnds[i]);
            q += 4;
        }
        for (int i = 0; i < nd; i++) {
            Bytes.putU32(b, q, dups[i]);
            q += 4;
        }
        lastAdvertisedRwnd = rwnd;
        dupCount = 0;
        sackNow = false;
        packetsSinceSack = 0;
        ackAt = NEVER;
        return q;
    }

    private int writeData(byte[] b, int p, int mtu) {
        int hdr = interleaved ? ChunkCodec.I_DATA_HEADER : ChunkCodec.DATA_HEADER;
        boolean bypass = fastRetransmitNow;
        fastRetransmitNow = false;
        // Retransmissions first (RFC 9260 6.1 / 7.2.4).
        while (!retx.isEmpty()) {
            int tsn = retx.peek();
            OutChunk c = out.get(tsn);
            if (c == null || c.acked || c.abandoned || !c.queuedForRetransmit) {
                retx.poll();
                if (c != null) {
                    c.queuedForRetransmit = false;
                }
                continue;
            }
            if (now >= c.message.expiresAt) {
                retx.poll();
                c.queuedForRetransmit = false;
                abandonMessage(c.message);
                continue;
            }
            if (!bypass && flight >= cc.cwnd()) {
                return p;
            }
            int size = Bytes.pad4(hdr + c.length);
            if (p + size > mtu) {
                return p;
            }
            retx.poll();
            c.queuedForRetransmit = false;
            p = writeChunk(b, p, c, hdr);
            c.transmissions++;
            retransmittedChunks++;
            c.inFlight = true;
            c.sentAt = now;
            flight += c.length;
            if (t3At == NEVER) {
                t3At = now + cc.rto();
            }
        }
        if (state == SctpState.SHUTDOWN_SENT || state == SctpState.SHUTDOWN_ACK_SENT) {
            return p;
        }
        // New data, within cwnd and the peer's window (RFC 9260 6.1 A, B). Chunks are cut for the base MTU
        // and bundled up to the path MTU: a chunk cannot be cut again once it has a TSN (RFC 9260 6.9), so
        // this way every chunk still fits a packet after a black hole sends the path MTU back to the base.
        int maxPayloadEmpty = cfg.mtu() - ChunkCodec.COMMON_HEADER - hdr;
        boolean alone = flight == 0;
        int lastNew = -1;
        while (flight < cc.cwnd() && (peerRwnd > 0 || flight == 0)) {
            OutMessage m = sched.peek();
            if (m == null) {
                break;
            }
            if (!m.started() && now >= m.expiresAt) {
                sched.dropHead(m);
                sendBufferUsed -= m.length;
                abandoned++;
                lowCheck(sched.stream(m.stream), m.length);
                continue;
            }
            int avail = mtu - p - hdr;
            int remaining = m.length - m.sent;
            if (avail < 1 || (remaining > avail && remaining <= maxPayloadEmpty && p > ChunkCodec.COMMON_HEADER)
                    || (avail < 64 && remaining > avail && p > ChunkCodec.COMMON_HEADER)) {
                break;
            }
            int len = Math.min(Math.min(remaining, avail), maxPayloadEmpty);
            OutStream s = sched.stream(m.stream);
            OutChunk c = out.append();
            c.message = m;
            c.offset = m.offset + m.sent;
            c.length = len;
            int flags = 0;
            if (m.sent == 0) {
                flags |= ChunkType.FLAG_BEGIN;
                if (m.unordered) {
                    m.sequence = interleaved ? s.nextUnordered++ : 0;
                } else {
                    m.sequence = s.nextOrdered;
                    s.nextOrdered = interleaved ? s.nextOrdered + 1 : (s.nextOrdered + 1) & 0xFFFF;
                }
                m.firstTsn = c.tsn;
            }
            if (m.sent + len == m.length) {
                flags |= ChunkType.FLAG_END;
            }
            if (m.unordered) {
                flags |= ChunkType.FLAG_UNORDERED;
            }
            c.flags = flags;
            c.fsn = m.nextFsn++;
            m.sent += len;
            m.lastTsn = c.tsn;
            m.chunksOutstanding++;
            lastNew = p;
            p = writeChunk(b, p, c, hdr);
            c.transmissions = 1;
            c.inFlight = true;
            c.sentAt = now;
            flight += len;
            peerRwnd = Math.max(0, peerRwnd - len);
            if (!rttActive) {
                rttActive = true;
                rttTsn = c.tsn;
            }
            if (t3At == NEVER) {
                t3At = now + cc.rto();
            }
            sched.advanced(m);
            lowCheck(s, len);
        }
        if (alone && lastNew >= 0 && flight >= cc.cwnd()) {
            // This packet alone fills the congestion window: nothing more goes until it is acknowledged, and a
            // receiver that acknowledges every second packet would wait its delayed-SACK timer for it (200 ms).
            // The I bit asks for the SACK at once (RFC 7053 section 4.1). Typical after the path MTU grew
            // past a small cwnd, and at the start of slow start.
            b[lastNew + 1] |= ChunkType.FLAG_IMMEDIATE;
        }
        return p;
    }

    private void lowCheck(OutStream s, long sent) {
        long before = s.buffered;
        s.buffered -= sent;
        if (before > s.lowThreshold && s.buffered <= s.lowThreshold) {
            events.add(new SctpEvent.BufferedAmountLow(s.id));
        }
    }

    private int writeChunk(byte[] b, int p, OutChunk c, int hdr) {
        OutMessage m = c.message;
        int len = hdr + c.length;
        b[p] = (byte) (interleaved ? ChunkType.I_DATA : ChunkType.DATA);
        b[p + 1] = (byte) c.flags;
        Bytes.putU16(b, p + 2, len);
        Bytes.putU32(b, p + 4, c.tsn);
        Bytes.putU16(b, p + 8, m.stream);
        if (interleaved) {
            Bytes.putU16(b, p + 10, 0);
            Bytes.putU32(b, p + 12, m.sequence);
            Bytes.putU32(b, p + 16, (c.flags & ChunkType.FLAG_BEGIN) != 0 ? m.ppid : c.fsn);
        } else {
            Bytes.putU16(b, p + 10, m.sequence);
            Bytes.putU32(b, p + 12, m.ppid);
        }
        System.arraycopy(m.data, c.offset, b, p + hdr, c.length);
        int end = p + Bytes.pad4(len);
        for (int k = p + len; k < end; k++) {
            b[k] = 0;
        }
        return end;
    }
}
