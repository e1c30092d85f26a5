package org.rtc4j.sctp;

import static org.rtc4j.sctp.internal.AssociationState.NEVER;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.sctp.internal.AssociationState;
import org.rtc4j.sctp.internal.Checksum;
import org.rtc4j.sctp.internal.Chunk;
import org.rtc4j.sctp.internal.ChunkCodec;
import org.rtc4j.sctp.internal.ChunkType;
import org.rtc4j.sctp.internal.CongestionControl;
import org.rtc4j.sctp.internal.GracefulShutdown;
import org.rtc4j.sctp.internal.Handshake;
import org.rtc4j.sctp.internal.Heartbeats;
import org.rtc4j.sctp.internal.OutStream;
import org.rtc4j.sctp.internal.PacketWriter;
import org.rtc4j.sctp.internal.PartialReliability;
import org.rtc4j.sctp.internal.PathMtuSearch;
import org.rtc4j.sctp.internal.Receiver;
import org.rtc4j.sctp.internal.Sender;
import org.rtc4j.sctp.internal.StreamReconfig;
import org.rtc4j.sctp.internal.VerificationTags;

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
 *
 * <p>This class is the API and the dispatcher: it checks each packet, hands each chunk to the part that owns
 * it (in {@code org.rtc4j.sctp.internal}: {@code Handshake}, {@code Sender} with SACK processing and T3,
 * {@code Receiver}, {@code PartialReliability}, {@code StreamReconfig}, {@code GracefulShutdown},
 * {@code PacketWriter}, {@code PathMtuSearch}) and serves the timers.
 */
public final class SctpAssociation implements Engine<SctpEvent> {

    /** The address on both ends of what {@link #pollTransmit} returns: the lower layer knows the path. */
    public static final TransportAddress NO_ADDRESS = TransportAddress.udp(
            TransportAddress.parseIp("0.0.0.0"), 0);

    private final AssociationState st;
    private final PathMtuSearch pmtu;
    private final CongestionControl cc;
    private final Sender sender;
    private final PartialReliability pr;
    private final Receiver receiver;
    private final StreamReconfig reconfig;
    private final GracefulShutdown shutdown;
    private final PacketWriter writer;
    private final Handshake handshake;
    private final VerificationTags tags;
    private final Heartbeats heartbeats;
    /** Where {@link #pollTransmit} has packets written before it copies them (made on first use). */
    private ByteBuffer transmitBuf;
    private Instant cachedTimeout;
    private long cachedTimeoutNanos = NEVER;

    public SctpAssociation(SctpSettings settings) {
        st = new AssociationState(settings);
        pmtu = new PathMtuSearch(settings.mtu(), settings.maxMtu(), st.random);
        sender = new Sender(st, pmtu);
        cc = sender.congestion();
        pr = sender.partialReliability();
        receiver = new Receiver(st);
        reconfig = new StreamReconfig(st, sender, receiver);
        shutdown = new GracefulShutdown(st, sender, receiver);
        writer = new PacketWriter(st, sender, receiver, pmtu);
        heartbeats = new Heartbeats(st, sender, pmtu);
        handshake = new Handshake(st, sender, receiver, reconfig, shutdown, pmtu, writer, heartbeats);
        tags = new VerificationTags(st, writer);
    }

    // ================================================================================== user-facing API

    public SctpState state() {
        return st.state;
    }

    public SctpSettings settings() {
        return st.cfg;
    }

    /** Streams negotiated for sending (0 before the handshake). */
    public int outboundStreams() {
        return st.outStreams;
    }

    public int inboundStreams() {
        return st.inStreams;
    }

    /** Whether I-DATA (RFC 8260) is in use: both sides offered it. */
    public boolean interleaving() {
        return st.interleaved;
    }

    /** Whether this end puts zero checksums in its packets (RFC 9653, both sides agreed). */
    public boolean sendsZeroChecksum() {
        return st.sendZeroChecksum;
    }

    /** Whether the peer supports partial reliability (RFC 3758). */
    public boolean partialReliability() {
        return st.peerForwardTsn;
    }

    public SctpStats stats() {
        return new SctpStats(st.packetsReceived, st.packetsSent, st.badChecksums, st.badTags, st.malformed,
                st.duplicateTsns, st.outOfWindow, st.invalidStreams, st.fastRetransmits, st.timeouts,
                st.retransmittedChunks, st.abandoned, receiver.oversized(), cc.cwnd(), cc.rto() / 1_000_000,
                cc.srtt() < 0 ? -1 : cc.srtt() / 1_000_000, pmtu.plpmtu(), pmtu.probesSent(),
                pmtu.probesConfirmed(), pmtu.unmatchedAcks(), pmtu.blackHoles());
    }

    /** For a log line: the state, the streams, and where receiving stands (TSNs, streams waiting). */
    @Override
    public String toString() {
        return "SCTP " + st.state + ", streams " + st.outStreams + " out " + st.inStreams + " in"
                + (st.interleaved ? ", I-DATA" : "") + ", " + receiver.describe();
    }

    /** The path MTU in use (RFC 8899 PLPMTU): the largest packet this end sends now. */
    public int pathMtu() {
        return pmtu.plpmtu();
    }

    /** The heartbeats (for tests). */
    Heartbeats heartbeats() {
        return heartbeats;
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
        if (maxMtu < st.cfg.mtu() || maxMtu > 65535) {
            throw new IllegalArgumentException("maxMtu out of range " + st.cfg.mtu() + "..65535: " + maxMtu);
        }
        tick(time);
        writer.ensureRoom(maxMtu);
        pmtu.setMax(maxMtu, st.now);
        cc.mtu(pmtu.plpmtu());
    }

    /** Starts the handshake (RFC 9260 5.1): sends INIT. */
    public void connect(Instant time) {
        tick(time);
        if (st.state != SctpState.CLOSED) {
            throw new IllegalStateException("connect in state " + st.state);
        }
        handshake.connect();
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
        if (st.state != SctpState.ESTABLISHED) {
            throw new IllegalStateException("send in state " + st.state);
        }
        if (stream < 0 || stream >= st.outStreams) {
            throw new IllegalArgumentException("stream " + stream + " not negotiated (" + st.outStreams + ")");
        }
        if (length <= 0) {
            throw new IllegalArgumentException("SCTP carries no empty messages (RFC 9260 3.3.1)");
        }
        if (sender.scheduler().stream(stream).resetPending) {
            throw new IllegalStateException("stream " + stream + " is being reset");
        }
        return sender.send(stream, ppid, data, offset, length, options.unordered(), options.maxRetransmits(),
                options.lifetimeMillis());
    }

    /** Bytes queued on a stream and not yet sent once (the W3C bufferedAmount). */
    public long bufferedAmount(int stream) {
        OutStream s = sender.scheduler().existing(stream);
        return s == null ? 0 : s.buffered;
    }

    public void bufferedAmountLowThreshold(int stream, long threshold) {
        sender.scheduler().stream(stream).lowThreshold = threshold;
    }

    /** Bytes queued or unacknowledged, against the send buffer setting. */
    public long sendBufferUsed() {
        return sender.sendBufferUsed();
    }

    /**
     * Resets outgoing streams (RFC 6525 5.1.2): their SSNs restart from 0 and the peer learns that nothing
     * more comes on them. Messages already queued are sent first.
     */
    public void resetStreams(int... streams) {
        if (!st.peerReconfig) {
            throw new IllegalStateException("the peer does not support RE-CONFIG");
        }
        reconfig.resetStreams(streams);
    }

    /** Asks for {@code count} more outgoing streams (RFC 6525 5.1.5). */
    public void addStreams(int count) {
        if (!st.peerReconfig) {
            throw new IllegalStateException("the peer does not support RE-CONFIG");
        }
        if (count < 1 || st.outStreams + count > 65535) {
            throw new IllegalArgumentException("cannot add " + count + " streams to " + st.outStreams);
        }
        reconfig.addStreams(count);
    }

    /** Graceful close (RFC 9260 9.2): sends what is queued, then SHUTDOWN. */
    public void shutdown() {
        if (st.state == SctpState.ESTABLISHED) {
            shutdown.begin();
        } else if (st.state == SctpState.COOKIE_WAIT || st.state == SctpState.COOKIE_ECHOED) {
            close("shut down before established", true);
        }
    }

    /** Immediate close (RFC 9260 9.1): sends ABORT and forgets everything. */
    public void abort(String reason) {
        if (st.state == SctpState.CLOSED) {
            return;
        }
        byte[] info = reason.getBytes(StandardCharsets.UTF_8);
        if (info.length > 200) {
            info = Arrays.copyOf(info, 200);
        }
        st.raw.add(writer.packet(st.peerTag, new Chunk.Abort(false, List.of(new Chunk.ErrorCause(12, info))),
                false));
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
        sender.stamp(); // lifetimes of messages sent since the last call start now, the latest time known
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
        st.packetsReceived++;
        int len = packet.remaining();
        if (len < ChunkCodec.COMMON_HEADER + 4 || len > st.rxBuf.length) {
            st.malformed++;
            return;
        }
        packet.get(packet.position(), st.rxBuf, 0, len);
        byte[] b = st.rxBuf;
        if (Bytes.getU16(b, 0) != st.cfg.remotePort() || Bytes.getU16(b, 2) != st.cfg.localPort()) {
            st.malformed++;
            return;
        }
        int stored = Checksum.stored(b, 0);
        boolean zeroOk = stored == 0 && st.cfg.zeroChecksum() && st.state != SctpState.CLOSED;
        if (!zeroOk && !st.checksum.verify(b, 0, len)) {
            st.badChecksums++;
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
                st.malformed++;
                break;
            }
            if (!tags.accepts(type, flags, vtag, first)) {
                st.badTags++;
                if (first) {
                    return;
                }
                break;
            }
            if (first && st.state == SctpState.ESTABLISHED) {
                st.peerEstablished = true; // an authentic packet after our COOKIE-ACK: the peer has it
            }
            first = false;
            if (st.state == SctpState.CLOSED && (type == ChunkType.DATA || type == ChunkType.I_DATA
                    || type == ChunkType.SACK)) {
                tags.outOfTheBlue(type);
                break;
            }
            try {
                switch (type) {
                    case ChunkType.DATA, ChunkType.I_DATA -> {
                        int r = receiver.onData(type, flags, off, clen);
                        if ((r & Receiver.ACCEPTED) != 0) {
                            reconfig.performDeferredReset();
                        }
                        dataSeen = true;
                        immediate |= (r & Receiver.IMMEDIATE) != 0;
                    }
                    case ChunkType.SACK -> {
                        if (sender.onSack(off, clen)) {
                            shutdown.maybeSendDeferredShutdownAck();
                        }
                    }
                    default -> {
                        if (!onControl(type, flags, off, clen)) {
                            off = len;
                            continue;
                        }
                    }
                }
            } catch (ParseException e) {
                st.malformed++;
                break;
            }
            if (st.state == SctpState.CLOSED && type != ChunkType.COOKIE_ECHO && type != ChunkType.INIT) {
                break;
            }
            off += Bytes.pad4(clen);
        }
        if (dataSeen) {
            receiver.afterData(immediate);
        }
        shutdown.maybeFinish();
        reconfig.maybeStart();
    }

    @Override
    public void handleTimeout(Instant time) {
        tick(time);
        long now = st.now;
        if (handshake.timerAt() <= now) {
            String failure = handshake.onT1();
            if (failure != null) {
                close(failure, false);
            }
        }
        if (sender.t3At() <= now && !sender.onT3()) {
            abort("peer unreachable: " + st.errorCount + " consecutive timeouts");
        }
        if (heartbeats.timerAt() <= now && !heartbeats.onTimer()) {
            abort("peer unreachable: " + st.errorCount + " heartbeats and timeouts unanswered");
        }
        if (receiver.ackAt() <= now) {
            receiver.onAckTimer();
        }
        if (shutdown.timerAt() <= now && !shutdown.onT2()) {
            abort("no answer to SHUTDOWN");
        }
        if (pmtu.timerAt() <= now) {
            pmtu.onTimer(now);
            cc.mtu(pmtu.plpmtu());
        }
        if (reconfig.timerAt() <= now) {
            reconfig.onTimer();
        }
        reconfig.maybeStart();
    }

    @Override
    public SctpEvent pollEvent() {
        SctpEvent e = st.events.poll();
        if (e instanceof SctpEvent.Message m) {
            receiver.messagePolled(m);
        }
        return e;
    }

    @Override
    public Instant pollTimeout() {
        long t = Math.min(Math.min(Math.min(handshake.timerAt(), sender.t3At()),
                Math.min(Math.min(receiver.ackAt(), shutdown.timerAt()), reconfig.timerAt())),
                Math.min(pmtu.timerAt(), heartbeats.timerAt()));
        if (t == NEVER) {
            return null;
        }
        // A deadline that moved later (the T3 timer restarts on every SACK) keeps the earlier Instant: a call
        // to handleTimeout before anything is due is harmless, and this spares an allocation per packet.
        if (t != cachedTimeoutNanos && !(cachedTimeoutNanos < t && cachedTimeoutNanos > st.now)) {
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
        byte[] r = st.raw.poll();
        if (r != null) {
            dst.put(r);
            st.packetsSent++;
            return r.length;
        }
        if (st.state == SctpState.CLOSED || st.state == SctpState.COOKIE_WAIT) {
            return 0;
        }
        reconfig.maybeStart();
        shutdown.maybeFinish();
        if (!st.raw.isEmpty()) {
            return pollPacket(dst);
        }
        // A probe waits for the control chunks (a COOKIE-ACK first of all) and for the peer to be established:
        // a peer still in COOKIE-ECHOED drops a HEARTBEAT, and the lost probe would cost a PROBE_TIMER.
        boolean probe = pmtu.probeDue() && st.state == SctpState.ESTABLISHED && st.peerEstablished
                && st.control.isEmpty();
        int len = probe ? writer.probe() : writer.build();
        if (len == 0) {
            return 0;
        }
        dst.put(writer.buffer(), 0, len);
        st.packetsSent++;
        return len;
    }

    private void tick(Instant time) {
        long t = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        if (t > st.now) {
            st.now = t;
        }
        sender.stamp();
    }

    // ================================================================================ control chunks

    /** Hands a control chunk to its part; returns false when the rest of the packet must be ignored. */
    private boolean onControl(int type, int flags, int off, int clen) throws ParseException {
        ByteReader v = ByteReader.of(st.rxBuf, off + 4, clen - 4);
        switch (type) {
            case ChunkType.INIT -> handshake.onInit((Chunk.Init) ChunkCodec.parseChunk(type, flags, v));
            case ChunkType.INIT_ACK -> handshake.onInitAck((Chunk.Init) ChunkCodec.parseChunk(type, flags, v));
            case ChunkType.COOKIE_ECHO -> handshake.onCookieEcho(v.bytes(v.remaining()));
            case ChunkType.COOKIE_ACK -> handshake.onCookieAck();
            case ChunkType.HEARTBEAT -> {
                if (st.isOpen()) {
                    Chunk.Heartbeat h = (Chunk.Heartbeat) ChunkCodec.parseChunk(type, flags, v);
                    st.control.add(new Chunk.Heartbeat(true, h.info()));
                }
            }
            case ChunkType.HEARTBEAT_ACK -> {
                st.errorCount = 0;
                if (st.isOpen()) {
                    heartbeats.onAck(off, clen);
                }
            }
            case ChunkType.PAD -> {
                // RFC 4820 3: padding, ignored (it fills the peer's path MTU probes)
            }
            case ChunkType.ABORT -> {
                if (st.state != SctpState.CLOSED) {
                    Chunk.Abort a = (Chunk.Abort) ChunkCodec.parseChunk(type, flags, v);
                    close("peer aborted" + a.describe(), false);
                }
                return false;
            }
            case ChunkType.SHUTDOWN ->
                    shutdown.onShutdown(((Chunk.Shutdown) ChunkCodec.parseChunk(type, flags, v)).cumTsn());
            case ChunkType.SHUTDOWN_ACK -> {
                if (st.state == SctpState.SHUTDOWN_SENT || st.state == SctpState.SHUTDOWN_ACK_SENT) {
                    st.raw.add(writer.packet(st.peerTag, new Chunk.ShutdownComplete(false), false));
                    close("shut down", true);
                }
            }
            case ChunkType.SHUTDOWN_COMPLETE -> {
                if (st.state == SctpState.SHUTDOWN_ACK_SENT) {
                    close("shut down", true);
                }
                return false;
            }
            case ChunkType.ERROR -> {
                ChunkCodec.parseChunk(type, flags, v); // counted, nothing to undo
            }
            case ChunkType.FORWARD_TSN -> {
                if (pr.onForwardTsn((Chunk.ForwardTsn) ChunkCodec.parseChunk(type, flags, v), receiver)) {
                    reconfig.performDeferredReset();
                }
            }
            case ChunkType.I_FORWARD_TSN ->
                    pr.onIForwardTsn((Chunk.IForwardTsn) ChunkCodec.parseChunk(type, flags, v), receiver);
            case ChunkType.RE_CONFIG -> reconfig.onReConfig((Chunk.ReConfig) ChunkCodec.parseChunk(type, flags, v));
            default -> {
                if (st.state == SctpState.CLOSED) {
                    return false;
                }
                // RFC 9260 3.2: the two high bits of an unknown type say what to do.
                if ((type & 0x40) != 0) {
                    byte[] info = new byte[Math.min(clen, 64)];
                    System.arraycopy(st.rxBuf, off, info, 0, info.length);
                    st.control.add(new Chunk.Error(List.of(new Chunk.ErrorCause(6, info))));
                }
                return (type & 0x80) != 0;
            }
        }
        if (st.state == SctpState.CLOSED && type != ChunkType.INIT && type != ChunkType.COOKIE_ECHO
                && type != ChunkType.COOKIE_ACK && type != ChunkType.ERROR) {
            tags.outOfTheBlue(type);
            return false;
        }
        return true;
    }

    private void close(String reason, boolean graceful) {
        st.state = SctpState.CLOSED;
        handshake.stop();
        shutdown.stop();
        sender.stop();
        receiver.stop();
        reconfig.stop();
        pmtu.stop();
        heartbeats.stop();
        st.control.clear();
        st.events.add(new SctpEvent.Closed(reason, graceful));
    }
}
