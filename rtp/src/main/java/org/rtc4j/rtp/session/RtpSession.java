package org.rtc4j.rtp.session;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rtc4j.core.Engine;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.AbsSendTime;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.RtpHeaderWriter;
import org.rtc4j.rtp.RtpPacket;
import org.rtc4j.rtp.TransportSequenceNumber;
import org.rtc4j.rtp.payload.Packetizer;
import org.rtc4j.rtp.payload.PayloadFormats;
import org.rtc4j.rtp.payload.TelephoneEvent;
import org.rtc4j.rtp.rtcp.GenericNack;
import org.rtc4j.rtp.rtcp.Goodbye;
import org.rtc4j.rtp.rtcp.PictureLossIndication;
import org.rtc4j.rtp.rtcp.ReceiverReport;
import org.rtc4j.rtp.rtcp.RtcpCompound;
import org.rtc4j.rtp.rtcp.RtcpPacket;
import org.rtc4j.rtp.session.internal.Demux;
import org.rtc4j.rtp.session.internal.JitterBuffer;
import org.rtc4j.rtp.session.internal.NtpTime;
import org.rtc4j.rtp.session.internal.OutQueue;
import org.rtc4j.rtp.session.internal.ReceiveStream;
import org.rtc4j.rtp.session.internal.RtcpAgent;
import org.rtc4j.rtp.session.internal.SendStream;
import org.rtc4j.rtp.srtp.SrtpContext;

/**
 * The RTP session of one transport (RFC 3550), sans-IO: frames go in through {@link #send}, SRTP/SRTCP datagrams
 * through {@link #handleInput}; datagrams to send, {@link RtpSessionEvent events} (whole received frames, key
 * frame requests) and the next timeout come out.
 *
 * <p>Send side: per stream sequence numbers and timestamps (random starts, RFC 3550 5.1), the payload format's
 * packetizer, a history kept for {@link RtpSessionConfig#history()} answering NACKs through RTX (RFC 4588) or by
 * plain retransmission, and a {@link Pacer} before each media packet. Receive side: streams bound by SSRC, MID
 * and RID (RFC 9143 9.2, RFC 8852 4) or as the unsignaled stream of a payload type; RFC 3550 appendix A
 * statistics; NACKs with retries spaced by the round trip; a jitter buffer releasing whole frames in order.
 * RTCP reports go on the RFC 3550 6.2 interval. With SRTP contexts, every packet is authenticated before
 * anything past its fixed header is read.
 *
 * <p>Hot paths allocate nothing per packet once warm: received packets live in pooled buffers from arrival to
 * the release of their frame, and {@link #pollTransmit(ByteBuffer)} copies into the caller's buffer. Not
 * thread-safe: one loop drives it.
 */
public final class RtpSession implements Engine<RtpSessionEvent> {

    private static final int BUFFER_SIZE = 2048;
    private static final int MAX_QUEUED = 8192;
    private static final long MIN_KEY_REQUEST_INTERVAL = 200_000_000L;

    private final RtpSessionConfig config;
    private final TransportAddress local;
    private final TransportAddress remote;
    private final SrtpContext tx;
    private final SrtpContext rx;
    private final SplittableRandom random;
    private final List<SendStream> sendStreams = new ArrayList<>();
    private final List<ReceiveStream> receiveStreams = new ArrayList<>();
    private final Demux demux;
    private final ArrayDeque<RtpSessionEvent> events = new ArrayDeque<>();
    private final OutQueue out;
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    private final RtpPacket packet = new RtpPacket();
    private final RtpHeaderWriter writer = new RtpHeaderWriter();
    private final RtcpAgent rtcp;
    private final int[] nackScratch = new int[256];
    private final Packetizer.PayloadSink sink = this::onPayload;
    private SendStream sending;
    private long sendingTimestamp;
    private Pacer pacer = Pacer.NONE;
    private long now;
    private long pacerWait = Long.MAX_VALUE;
    private int transportSequence;
    private long lastTimeoutNanos = Long.MIN_VALUE;
    private Instant lastTimeout;
    private long malformed;
    private long unknownSsrc;
    private long srtpDropped;
    private long unansweredNacks;
    /** Telephone-event payload types accepted on received streams (RFC 4733), one bit each. */
    private long eventTypesLow;
    private long eventTypesHigh;
    /** The payload type of the telephone event being sent, -1 otherwise (it shares the stream's SSRC). */
    private int sendingEventType = -1;
    private final byte[] eventReport = new byte[TelephoneEvent.LENGTH];

    /**
     * A session between {@code local} and {@code remote}; {@code tx} protects what it sends and {@code rx}
     * unprotects what it receives (both null: plain RTP, for tests and interop).
     */
    public RtpSession(RtpSessionConfig config, TransportAddress local, TransportAddress remote, SrtpContext tx,
                      SrtpContext rx) {
        this.config = Objects.requireNonNull(config, "config");
        this.local = Objects.requireNonNull(local, "local");
        this.remote = Objects.requireNonNull(remote, "remote");
        if ((tx == null) != (rx == null)) {
            throw new IllegalArgumentException("both SRTP contexts or neither");
        }
        this.tx = tx;
        this.rx = rx;
        this.random = new SplittableRandom(config.seed());
        int overhead = tx == null ? 0 : Math.max(tx.profile().rtpOverhead(), tx.profile().rtcpOverhead());
        this.out = new OutQueue(Math.max(BUFFER_SIZE, config.maxPacketSize() + 2) + overhead, MAX_QUEUED);
        this.demux = new Demux(config.extensions(), receiveStreams, events);
        this.rtcp = new RtcpAgent(config, random, sendStreams, receiveStreams, events, this::retransmit);
    }

    /** Adds an outgoing stream with its codec's packetizer. */
    public void addSendStream(SendStreamConfig stream) {
        addSendStream(stream, PayloadFormats.packetizer(stream.codec()));
    }

    /** Adds an outgoing stream with the given packetizer. */
    public void addSendStream(SendStreamConfig stream, Packetizer packetizer) {
        if (sendStream(stream.ssrc()) != null) {
            throw new IllegalArgumentException("SSRC " + Integer.toUnsignedString(stream.ssrc()) + " already sent");
        }
        sendStreams.add(new SendStream(stream, packetizer, config.history().toNanos(), config.maxPacketSize() + 64,
                random.nextInt(0x10000), random.nextLong(0x1_0000_0000L), random.nextInt(0x10000)));
    }

    /** Adds an expected incoming stream. */
    public void addReceiveStream(ReceiveStreamConfig stream) {
        FrameSink frames = new FrameSink();
        ReceiveStream s = new ReceiveStream(stream, config.nackGiveUp().toNanos(), frames);
        frames.stream = s;
        receiveStreams.add(s);
        if (s.bound && demux.bind(s.ssrc, s, false) < 0) {
            throw new IllegalStateException("more than " + Demux.MAX_BINDINGS + " SSRCs");
        }
    }

    public void setPacer(Pacer p) {
        this.pacer = Objects.requireNonNull(p, "pacer");
    }

    // --- send side ---------------------------------------------------------------------------------------

    /**
     * Packetizes one frame of stream {@code ssrc} and queues its packets; the frame's timestamp is in the codec's
     * clock, and the stream adds its random offset.
     */
    public void send(Instant now, int ssrc, EncodedFrame frame) {
        this.now = NtpTime.nanos(now);
        SendStream s = sendStream(ssrc);
        if (s == null || frame.codec() != s.config.codec()) {
            throw new IllegalArgumentException("no stream of SSRC " + Integer.toUnsignedString(ssrc) + " for "
                    + frame.codec());
        }
        long ts = (frame.timestamp() + s.timestampOffset) & 0xFFFF_FFFFL;
        s.lastTimestamp = ts;
        s.lastTimestampNanos = this.now;
        s.sentAny = true;
        s.frames++;
        sending = s;
        sendingTimestamp = ts;
        prepareHeader(s, 0, false);
        int room = config.maxPacketSize() - writer.length();
        s.packetizer.packetize(frame, room, sink);
        sending = null;
    }

    /**
     * Sends one telephone-event report (RFC 4733 section 2.3) in stream {@code ssrc}: with its own payload type,
     * and the stream's SSRC, sequence numbers and timestamp offset, as browsers send DTMF (section 2.1: the
     * events' clock is the stream's). {@code timestamp} is the event's start in the codec's clock, as for
     * {@link #send}; {@code first} sets the marker (section 2.5.1.3).
     */
    public void sendTelephoneEvent(Instant now, int ssrc, int payloadType, long timestamp,
                                   TelephoneEvent report, boolean first) {
        this.now = NtpTime.nanos(now);
        SendStream s = sendStream(ssrc);
        if (s == null || s.config.codec().isVideo() || payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("no audio stream of SSRC " + Integer.toUnsignedString(ssrc)
                    + " for telephone-event " + payloadType);
        }
        sending = s;
        sendingEventType = payloadType;
        sendingTimestamp = (timestamp + s.timestampOffset) & 0xFFFF_FFFFL;
        byte[] r = report.toBytes();
        System.arraycopy(r, 0, eventReport, 0, r.length);
        onPayload(ByteBuffer.wrap(eventReport), first);
        sending = null;
        sendingEventType = -1;
    }

    /**
     * Where stream {@code ssrc}'s clock stands at {@code at}, in the codec's clock as {@link #send} takes it (its
     * last frame's timestamp plus the time since): the start of a telephone event sent now. 0 before any frame.
     */
    public long timestampAt(int ssrc, Instant at) {
        SendStream s = sendStream(ssrc);
        if (s == null || !s.sentAny) {
            return 0;
        }
        long elapsed = Math.max(0, NtpTime.nanos(at) - s.lastTimestampNanos);
        long ticks = elapsed / 1000 * s.config.codec().clockRate() / 1_000_000;
        return (s.lastTimestamp - s.timestampOffset + ticks) & 0xFFFF_FFFFL;
    }

    /** Telephone-event reports of this payload type on received streams come out as events (RFC 4733). */
    public void receiveTelephoneEvents(int payloadType) {
        if (payloadType >= 0 && payloadType < 64) {
            eventTypesLow |= 1L << payloadType;
        } else if (payloadType >= 64 && payloadType < 128) {
            eventTypesHigh |= 1L << (payloadType - 64);
        }
    }

    private boolean isEventType(int pt) {
        return ((pt < 64 ? eventTypesLow >>> pt : eventTypesHigh >>> (pt - 64)) & 1) != 0;
    }

    private void prepareHeader(SendStream s, int seq, boolean marker) {
        ExtensionIds ids = config.extensions();
        int pt = sendingEventType >= 0 ? sendingEventType : s.config.payloadType();
        writer.reset().payloadType(pt).marker(marker).sequenceNumber(seq).timestamp(sendingTimestamp)
                .ssrc(s.config.ssrc());
        if (ids.mid() > 0 && s.midBytes != null) {
            writer.extension(ids.mid(), s.midBytes);
        }
        if (ids.rid() > 0 && s.ridBytes != null) {
            writer.extension(ids.rid(), s.ridBytes);
        }
        if (ids.absSendTime() > 0) {
            AbsSendTime.write(writer, ids.absSendTime(), AbsSendTime.fromNanos(now));
        }
        if (ids.transportSequence() > 0) {
            TransportSequenceNumber.write(writer, ids.transportSequence(), transportSequence);
        }
    }

    private void onPayload(ByteBuffer payload, boolean marker) {
        SendStream s = sending;
        int seq = s.nextSeq;
        s.nextSeq = (seq + 1) & 0xFFFF;
        prepareHeader(s, seq, marker && (s.config.codec().isVideo() || sendingEventType >= 0));
        if (config.extensions().transportSequence() > 0) {
            transportSequence = (transportSequence + 1) & 0xFFFF;
        }
        ByteBuffer h = s.history.slot(seq, now);
        int header = writer.write(h, 0);
        int length = payload.remaining();
        if (header + length > h.capacity()) {
            throw new IllegalStateException("the packetizer gave a payload of " + length + " bytes");
        }
        h.put(header, payload, payload.position(), length);
        s.history.commit(seq, header + length);
        s.packets++;
        s.payloadBytes += length;
        s.headerBytes += header;
        queueRtp(h.array(), header + length);
    }

    private void queueRtp(byte[] src, int length) {
        byte[] slot = out.claim();
        if (slot == null) {
            return;
        }
        if (tx == null) {
            System.arraycopy(src, 0, slot, 0, length);
            out.commit(length, true);
        } else {
            out.commit(tx.protectRtp(src, 0, length, slot, 0), true);
        }
    }

    /**
     * Sends packet {@code seq} of {@code s} again, through RTX when negotiated (RFC 4588 section 4). Under SRTP
     * without RTX the request goes unanswered (counted): the packet would be protected again under the index it
     * was sent with, and with its transport-wide sequence number rewritten that is a new plaintext under a used
     * AES-CM keystream or GCM nonce, which RFC 3711 section 9.1 forbids (RFC 4588 is how SRTP retransmits).
     */
    private void retransmit(SendStream s, int seq) {
        if (tx != null && !s.config.hasRtx()) {
            unansweredNacks++;
            return;
        }
        ByteBuffer p = s.history.find(seq, now);
        byte[] slot = p == null ? null : out.claim();
        if (slot == null) {
            return;
        }
        int length = s.history.length(seq);
        int header;
        try {
            header = packet.parse(p, 0, length).headerLength();
        } catch (ParseException e) {
            throw new IllegalStateException("history holds a packet we did not write", e);
        }
        int n = length;
        if (s.config.hasRtx()) {
            // RTX: own SSRC, payload type and sequence number; the original sequence number opens the payload.
            System.arraycopy(p.array(), 0, slot, 0, header);
            slot[1] = (byte) ((slot[1] & 0x80) | s.config.rtxPayloadType());
            int rtxSeq = s.nextRtxSeq;
            s.nextRtxSeq = (rtxSeq + 1) & 0xFFFF;
            slot[2] = (byte) (rtxSeq >>> 8);
            slot[3] = (byte) rtxSeq;
            int r = s.config.rtxSsrc();
            slot[8] = (byte) (r >>> 24);
            slot[9] = (byte) (r >>> 16);
            slot[10] = (byte) (r >>> 8);
            slot[11] = (byte) r;
            slot[header] = (byte) (seq >>> 8);
            slot[header + 1] = (byte) seq;
            System.arraycopy(p.array(), header, slot, header + 2, length - header);
            n = length + 2;
        } else {
            System.arraycopy(p.array(), 0, slot, 0, length);
        }
        // A retransmission is a new packet on the transport: it takes the next transport-wide number.
        long twcc = packet.findExtension(config.extensions().transportSequence());
        if (config.extensions().transportSequence() > 0 && twcc >= 0 && (twcc & 0xFFFF) == 2) {
            int at = (int) (twcc >>> 16);
            slot[at] = (byte) (transportSequence >>> 8);
            slot[at + 1] = (byte) transportSequence;
            transportSequence = (transportSequence + 1) & 0xFFFF;
        }
        s.retransmittedPackets++;
        s.retransmittedBytes += length - header;
        out.commit(tx == null ? n : tx.protectRtp(slot, 0, n), true);
    }

    // --- receive side ------------------------------------------------------------------------------------

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        this.now = NtpTime.nanos(now);
        int length = data.remaining();
        if (length < 8 || length > BUFFER_SIZE) {
            malformed++;
            return;
        }
        int b1 = data.get(data.position() + 1) & 0xFF;
        ByteBuffer b = take();
        if (b1 >= 192 && b1 <= 223) {
            // RFC 5761 section 4: RTCP packet types 192-223 where RTP would have payload types 64-95.
            data.get(data.position(), b.array(), 0, length);
            int n = rx == null ? length : rx.unprotectRtcp(b.array(), 0, length);
            if (n < 0) {
                srtpDropped++;
            } else if (!rtcp.receive(this.now, b.array(), n)) {
                malformed++;
            }
            pool.push(b);
        } else {
            receiveRtp(data, b, length);
        }
        flushFeedback();
    }

    private ByteBuffer take() {
        ByteBuffer b = pool.poll();
        return b != null ? b.clear() : ByteBuffer.allocate(BUFFER_SIZE);
    }

    private void receiveRtp(ByteBuffer data, ByteBuffer b, int length) {
        int n;
        if (rx != null && data.hasArray()) {
            // Decrypted straight into the pooled buffer: no copy of its own, and none inside javax.crypto.
            n = rx.unprotectRtp(data.array(), data.arrayOffset() + data.position(), length, b.array(), 0);
        } else {
            data.get(data.position(), b.array(), 0, length);
            n = rx == null ? length : rx.unprotectRtp(b.array(), 0, length);
        }
        if (n < 0) {
            srtpDropped++;
            pool.push(b);
            return;
        }
        try {
            packet.parse(b, 0, n);
        } catch (ParseException e) {
            malformed++;
            pool.push(b);
            return;
        }
        int slot = demux.lookup(packet.ssrc());
        if (slot < 0 && (slot = demux.bindNew(packet)) < 0) {
            unknownSsrc++;
            pool.push(b);
            return;
        }
        ReceiveStream s = demux.stream(slot);
        int offset = packet.payloadOffset();
        int length2 = packet.payloadLength();
        int seq = packet.sequenceNumber();
        boolean rtx = demux.isRtx(slot);
        if (rtx) {
            if (packet.payloadType() != s.config.rtxPayloadType() || length2 < 2) {
                pool.push(b); // padding-only probes and other payload types carry no media
                return;
            }
            seq = b.getShort(offset) & 0xFFFF;
            offset += 2;
            length2 -= 2;
        } else if (packet.payloadType() != s.config.payloadType()) {
            if (isEventType(packet.payloadType()) && length2 >= TelephoneEvent.LENGTH) {
                receiveEvent(s, b, offset, length2, seq);
            } else {
                malformed++;
            }
            pool.push(b);
            return;
        }
        // RFC 4588 section 6.2: RTX packets are the retransmission stream's, reported on in a block of its own; the
        // original stream's statistics count what arrived on it, so its loss is the loss before repair.
        long ext = rtx ? s.statistics.extend(seq) : s.statistics.update(seq);
        if (ext < 0) {
            pool.push(b);
            return;
        }
        if (rtx) {
            s.rtxStatistics.update(packet.sequenceNumber());
            s.retransmittedPackets++;
            s.retransmittedBytes += length2;
        } else {
            if (s.statistics.takeRestarted()) {
                s.nack.reset();
                s.jitterBuffer.reset();
            }
            s.statistics.arrival(s.arrivalUnits(now), packet.timestamp());
        }
        s.packets++;
        s.bytes += length2;
        s.headerBytes += packet.headerLength();
        s.lastArrivalNanos = now;
        s.nack.received(ext, now, rtx);
        if (!s.jitterBuffer.insert(ext, b, offset, length2, packet.timestamp(), packet.marker())) {
            pool.push(b);
        }
        s.jitterBuffer.release(s.nack);
    }

    /**
     * A telephone-event packet in a received stream: its sequence number counts as received (no NACK, and the
     * jitter buffer passes over it), its report comes out as an event.
     */
    private void receiveEvent(ReceiveStream s, ByteBuffer b, int offset, int length, int seq) {
        long ext = s.statistics.update(seq);
        if (ext < 0) {
            return;
        }
        s.packets++;
        s.bytes += length;
        s.headerBytes += packet.headerLength();
        s.lastArrivalNanos = now;
        s.nack.received(ext, now, false);
        s.jitterBuffer.release(s.nack);
        try {
            events.add(new RtpSessionEvent.TelephoneEventReceived(s.config.mid(), packet.ssrc(), packet.payloadType(),
                    packet.timestamp(), TelephoneEvent.parse(b.slice(offset, length))));
        } catch (ParseException e) {
            malformed++;
        }
    }

    /** Asks the sender of a received stream for a key frame (PLI). */
    public void requestKeyFrame(int ssrc) {
        for (ReceiveStream s : receiveStreams) {
            if (s.bound && s.ssrc == ssrc) {
                s.keyRequestPending = true;
            }
        }
        flushFeedback();
    }

    /**
     * Says goodbye for every stream we send (RFC 3550 section 6.6), in a compound with an empty report first;
     * the owner calls it before dropping the session.
     */
    public void sendGoodbye(Instant now, String reason) {
        this.now = NtpTime.nanos(now);
        List<Integer> ssrcs = sendStreams.isEmpty() ? List.of(rtcp.reporterSsrc())
                : sendStreams.stream().map(s -> s.config.ssrc()).toList();
        queueRtcp(List.of(new ReceiverReport(rtcp.reporterSsrc(), List.of()), new Goodbye(ssrcs, reason)));
    }

    /** Sends the NACKs and key frame requests that are due. */
    private void flushFeedback() {
        for (int k = 0; k < receiveStreams.size(); k++) {
            ReceiveStream s = receiveStreams.get(k);
            if (!s.bound) {
                continue;
            }
            int n = s.nack.collect(now, rtcp.roundTripNanos(), nackScratch);
            if (n > 0) {
                s.nackCount++;
                queueFeedback(new GenericNack(rtcp.reporterSsrc(), s.ssrc, java.util.Arrays.copyOf(nackScratch, n)));
                s.jitterBuffer.release(s.nack);
            } else if (s.nack.missing() > 0 || s.nack.abandonedCount() > 0) {
                s.jitterBuffer.release(s.nack);
            }
            if (s.keyRequestPending && now - s.lastKeyRequestNanos >= keyRequestInterval()) {
                s.keyRequestPending = false;
                s.lastKeyRequestNanos = now;
                s.pliCount++;
                queueFeedback(new PictureLossIndication(rtcp.reporterSsrc(), s.ssrc));
            }
        }
    }

    private long keyRequestInterval() {
        return Math.max(MIN_KEY_REQUEST_INTERVAL, rtcp.roundTripNanos());
    }

    /** Feedback alone when reduced-size RTCP is negotiated (RFC 5506), after an empty RR otherwise. */
    private void queueFeedback(RtcpPacket p) {
        queueRtcp(config.reducedSizeRtcp() ? List.of(p)
                : List.of(new ReceiverReport(rtcp.reporterSsrc(), List.of()), p));
    }

    private void queueRtcp(List<RtcpPacket> packets) {
        int length = RtcpCompound.length(packets);
        byte[] slot = out.claim();
        if (slot == null || length + 64 > slot.length) {
            return;
        }
        RtcpCompound.write(packets, ByteBuffer.wrap(slot, 0, length));
        out.commit(tx == null ? length : tx.protectRtcp(slot, 0, length), false);
    }

    // --- engine ------------------------------------------------------------------------------------------

    @Override
    public void handleTimeout(Instant now) {
        this.now = NtpTime.nanos(now);
        flushFeedback();
        List<RtcpPacket> report = rtcp.reportIfDue(this.now);
        if (report != null) {
            queueRtcp(report);
        }
    }

    /**
     * Copies the next datagram into {@code dst} (at its position, which moves past it) and returns true, or
     * returns false when there is none, or the pacer holds the next one back. Allocates nothing.
     */
    public boolean pollTransmit(ByteBuffer dst) {
        int length = nextLength();
        if (length < 0) {
            return false;
        }
        dst.put(out.peek(), 0, length);
        sent(length);
        return true;
    }

    @Override
    public Transmit pollTransmit() {
        int length = nextLength();
        if (length < 0) {
            return null;
        }
        ByteBuffer copy = ByteBuffer.allocate(length).put(out.peek(), 0, length).flip();
        sent(length);
        return new Transmit(local, remote, copy);
    }

    private int nextLength() {
        if (out.size() == 0) {
            return -1;
        }
        int length = out.peekLength();
        if (out.peekIsMedia()) {
            long at = pacer.sendTime(now, length);
            if (at > now) {
                pacerWait = at;
                return -1;
            }
        }
        return length;
    }

    private void sent(int length) {
        if (out.peekIsMedia()) {
            pacer.sent(now, length);
        }
        pacerWait = Long.MAX_VALUE;
        out.pop();
    }

    @Override
    public RtpSessionEvent pollEvent() {
        return events.poll();
    }

    @Override
    public Instant pollTimeout() {
        long t = Math.min(rtcp.nextReportNanos(now), pacerWait);
        for (int k = 0; k < receiveStreams.size(); k++) {
            ReceiveStream s = receiveStreams.get(k);
            t = Math.min(t, s.nack.nextDue());
            if (s.keyRequestPending) {
                t = Math.min(t, s.lastKeyRequestNanos + keyRequestInterval());
            }
        }
        if (t != lastTimeoutNanos) {
            lastTimeoutNanos = t;
            lastTimeout = NtpTime.instant(t);
        }
        return lastTimeout;
    }

    // --- statistics --------------------------------------------------------------------------------------

    public List<OutboundRtpStats> outboundRtpStats() {
        return sendStreams.stream().map(SendStream::outbound).toList();
    }

    public List<RemoteInboundRtpStats> remoteInboundRtpStats() {
        return sendStreams.stream().filter(s -> s.reports > 0).map(SendStream::remoteInbound).toList();
    }

    public List<InboundRtpStats> inboundRtpStats() {
        return receiveStreams.stream().filter(s -> s.bound).map(ReceiveStream::inbound).toList();
    }

    public List<RemoteOutboundRtpStats> remoteOutboundRtpStats() {
        return receiveStreams.stream().filter(s -> s.srCount > 0).map(rtcp::remoteOutbound).toList();
    }

    /** Datagrams dropped as malformed (not RTP/RTCP, bad lengths, unexpected payload type). */
    public long malformedCount() {
        return malformed;
    }

    /** Authentic RTP packets of an SSRC no stream could take. */
    public long unknownSsrcCount() {
        return unknownSsrc;
    }

    /** Retransmission requests not answered: packets of a stream that has no RTX, under SRTP. */
    public long unansweredNackCount() {
        return unansweredNacks;
    }

    /** Datagrams SRTP/SRTCP dropped (authentication, replay). */
    public long srtpDropCount() {
        return srtpDropped;
    }

    /** Datagrams dropped because the send queue was full. */
    public long sendQueueDropCount() {
        return out.dropped();
    }

    private SendStream sendStream(int ssrc) {
        return SendStream.find(sendStreams, ssrc);
    }

    /** Takes the jitter buffers' output: frames become events, spent buffers go back to the pool. */
    private final class FrameSink implements JitterBuffer.Sink {
        private ReceiveStream stream;

        @Override
        public void frame(EncodedFrame frame) {
            ReceiveStream s = stream;
            events.add(new RtpSessionEvent.FrameReceived(s.config.mid(), s.config.rid(), s.ssrc, frame));
        }

        @Override
        public void keyFrameNeeded() {
            stream.keyRequestPending = true;
        }

        @Override
        public void recycle(ByteBuffer packet) {
            pool.push(packet);
        }
    }
}
