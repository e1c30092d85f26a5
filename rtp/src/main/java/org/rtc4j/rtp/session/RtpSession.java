package org.rtc4j.rtp.session;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.EncodedFrame;
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
import org.rtc4j.rtp.session.internal.NtpTime;
import org.rtc4j.rtp.session.internal.OutQueue;
import org.rtc4j.rtp.session.internal.ReceiveStream;
import org.rtc4j.rtp.session.internal.Receiver;
import org.rtc4j.rtp.session.internal.RtcpAgent;
import org.rtc4j.rtp.session.internal.SendStream;
import org.rtc4j.rtp.session.internal.Sender;
import org.rtc4j.rtp.session.internal.TransportWideArrivals;
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
 * statistics; NACKs with retries spaced by the round trip; a jitter buffer releasing whole frames in order;
 * transport-wide feedback on the received packets' transport-wide sequence numbers when
 * {@link ExtensionIds#receivedTransportSequence()} is set (draft-holmer-rmcat-transport-wide-cc-extensions-01).
 * RTCP reports go on the RFC 3550 6.2 interval. With SRTP contexts, every packet is authenticated before
 * anything past its fixed header is read.
 *
 * <p>Hot paths allocate nothing per packet once warm: received packets live in pooled buffers from arrival to
 * the release of their frame, and {@link #pollTransmit(ByteBuffer)} copies into the caller's buffer. Not
 * thread-safe: one loop drives it.
 *
 * <p>The parts, in {@code internal}: {@code Sender} (packets out, retransmission), {@code Receiver} (datagrams
 * in, to the streams' jitter buffers), {@code RtcpAgent} (reports); this class ties them together, queues the
 * NACK and PLI feedback that is due and paces what leaves.
 */
public final class RtpSession implements Engine<RtpSessionEvent> {

    private static final int MAX_QUEUED = 8192;
    private static final long MIN_KEY_REQUEST_INTERVAL = 200_000_000L;
    /** Transport-wide feedback packets sent at once at most; more waiting goes at the next interval. */
    private static final int MAX_TRANSPORT_FEEDBACK = 4;

    private final RtpSessionConfig config;
    private final TransportAddress local;
    private final TransportAddress remote;
    private final SrtpContext tx;
    private final SplittableRandom random;
    private final List<SendStream> sendStreams = new ArrayList<>();
    private final List<ReceiveStream> receiveStreams = new ArrayList<>();
    private final ArrayDeque<RtpSessionEvent> events = new ArrayDeque<>();
    private final OutQueue out;
    private final RtcpAgent rtcp;
    private final Sender sender;
    private final Receiver receiver;
    private final TransportWideArrivals arrivals = new TransportWideArrivals();
    private final int[] nackScratch = new int[256];
    /** A view of the send slot transport-wide feedback went into last: the same slot, once drained, comes again. */
    private ByteBuffer feedbackView = ByteBuffer.allocate(0);
    private Pacer pacer = Pacer.NONE;
    private ExtensionIds extensions;
    private long now;
    private long pacerWait = Long.MAX_VALUE;
    private long lastTimeoutNanos = Long.MIN_VALUE;
    private Instant lastTimeout;

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
        this.extensions = config.extensions();
        this.random = new SplittableRandom(config.seed());
        int overhead = tx == null ? 0 : Math.max(tx.profile().rtpOverhead(), tx.profile().rtcpOverhead());
        this.out = new OutQueue(Math.max(Receiver.BUFFER_SIZE, config.maxPacketSize() + 2) + overhead, MAX_QUEUED);
        this.sender = new Sender(config, tx, out, sendStreams);
        // NACKs arrive in RTCP, during handleInput, which has set now.
        this.rtcp = new RtcpAgent(config, random, sendStreams, receiveStreams, events,
                (s, seq) -> sender.retransmit(this.now, s, seq));
        this.receiver = new Receiver(rx, config.extensions(), receiveStreams,
                new Demux(config.extensions(), receiveStreams, events), rtcp, events, arrivals);
    }

    /** Adds an outgoing stream with its codec's packetizer. */
    public void addSendStream(SendStreamConfig stream) {
        addSendStream(stream, PayloadFormats.packetizer(stream.codec()));
    }

    /** Adds an outgoing stream with the given packetizer. */
    public void addSendStream(SendStreamConfig stream, Packetizer packetizer) {
        if (SendStream.find(sendStreams, stream.ssrc()) != null) {
            throw new IllegalArgumentException("SSRC " + Integer.toUnsignedString(stream.ssrc()) + " already sent");
        }
        sendStreams.add(new SendStream(stream, packetizer, config.history().toNanos(), config.maxPacketSize() + 64,
                random.nextInt(0x10000), random.nextLong(0x1_0000_0000L), random.nextInt(0x10000)));
    }

    /**
     * Sends stream {@code stream.ssrc()}'s next frames with another codec, payload type or RTX payload type (a
     * renegotiation picked another codec, RFC 3264 section 8.3.2): its sequence numbers, timestamp offset and
     * history go on, so the peer sees one stream whose payload type changed (RFC 3550 section 5.1).
     */
    public void replaceSendStream(SendStreamConfig stream, Packetizer packetizer) {
        SendStream s = SendStream.find(sendStreams, stream.ssrc());
        if (s == null) {
            throw new IllegalArgumentException("no stream of SSRC " + Integer.toUnsignedString(stream.ssrc()));
        }
        if ((stream.hasRtx() && stream.rtxSsrc() != s.config.rtxSsrc() && s.config.hasRtx())
                || !java.util.Objects.equals(stream.mid(), s.config.mid())
                || !java.util.Objects.equals(stream.rid(), s.config.rid())) {
            throw new IllegalArgumentException("a stream keeps its RTX SSRC, MID and RID");
        }
        s.use(stream, java.util.Objects.requireNonNull(packetizer, "packetizer"));
    }

    /** Adds an expected incoming stream. */
    public void addReceiveStream(ReceiveStreamConfig stream) {
        receiver.addStream(stream, config.nackGiveUp().toNanos());
    }

    /**
     * The header extensions' ids from now on, for sending and receiving: what the latest offer/answer settled
     * (RFC 8285 section 6: a session update may add extensions; under BUNDLE one id has one meaning on the whole
     * transport, RFC 8843 section 9.2, so one map serves every stream). A track added by renegotiation gets the
     * extensions its section negotiated.
     */
    public void extensions(ExtensionIds ids) {
        extensions = Objects.requireNonNull(ids, "ids");
        sender.extensions(ids);
        receiver.extensions(ids);
        if (ids.receivedTransportSequence() == 0) {
            arrivals.reset();
        }
    }

    /** The header extensions' ids in use: the config's, or those {@link #extensions(ExtensionIds)} set since. */
    public ExtensionIds extensions() {
        return extensions;
    }

    public void setPacer(Pacer p) {
        this.pacer = Objects.requireNonNull(p, "pacer");
    }

    // --- send side (internal.Sender) ---------------------------------------------------------------------

    /**
     * Packetizes one frame of stream {@code ssrc} and queues its packets; the frame's timestamp is in the codec's
     * clock, and the stream adds its random offset.
     */
    public void send(Instant now, int ssrc, EncodedFrame frame) {
        send(now, ssrc, frame, null);
    }

    /**
     * As {@link #send(Instant, int, EncodedFrame)}, for an audio frame whose level the encoder measured: each of
     * its packets carries it (RFC 6464) when the extension is negotiated ({@link ExtensionIds#audioLevel()}).
     */
    public void send(Instant now, int ssrc, EncodedFrame frame, org.rtc4j.rtp.AudioLevel level) {
        this.now = NtpTime.nanos(now);
        sender.send(this.now, ssrc, frame, level);
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
        sender.sendTelephoneEvent(this.now, ssrc, payloadType, timestamp, report, first);
    }

    /**
     * Where stream {@code ssrc}'s clock stands at {@code at}, in the codec's clock as {@link #send} takes it (its
     * last frame's timestamp plus the time since): the start of a telephone event sent now. 0 before any frame.
     */
    public long timestampAt(int ssrc, Instant at) {
        return sender.timestampAt(ssrc, NtpTime.nanos(at));
    }

    // --- receive side (internal.Receiver) ----------------------------------------------------------------

    /** Telephone-event reports of this payload type on received streams come out as events (RFC 4733). */
    public void receiveTelephoneEvents(int payloadType) {
        receiver.receiveTelephoneEvents(payloadType);
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        this.now = NtpTime.nanos(now);
        if (receiver.receive(this.now, data)) {
            flushFeedback();
            flushTransportFeedback();
        }
    }

    // --- feedback (NACK, PLI, BYE) -----------------------------------------------------------------------

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

    /**
     * Transport-wide feedback when due (draft section 3.1), as NACKs go: alone with reduced-size RTCP, else after an
     * empty RR. Allocates nothing once warm with reduced-size RTCP (an RR object per packet without).
     */
    private void flushTransportFeedback() {
        if (!arrivals.due(now)) {
            return;
        }
        for (int k = 0; k < MAX_TRANSPORT_FEEDBACK && arrivals.pending(); k++) {
            byte[] slot = out.claim();
            if (slot == null) {
                arrivals.postpone(now);
                return;
            }
            ByteBuffer b = feedbackView.array() == slot ? feedbackView.clear() : (feedbackView = ByteBuffer.wrap(slot));
            if (!config.reducedSizeRtcp()) {
                new ReceiverReport(rtcp.reporterSsrc(), List.of()).write(b);
            }
            arrivals.write(now, b, rtcp.reporterSsrc());
            out.commit(tx == null ? b.position() : tx.protectRtcp(slot, 0, b.position()), false);
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
        flushTransportFeedback();
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
        long t = Math.min(Math.min(rtcp.nextReportNanos(now), pacerWait), arrivals.nextDue());
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
        return receiver.malformedCount();
    }

    /** Authentic RTP packets of an SSRC no stream could take. */
    public long unknownSsrcCount() {
        return receiver.unknownSsrcCount();
    }

    /** Retransmission requests not answered: packets of a stream that has no RTX, under SRTP. */
    public long unansweredNackCount() {
        return sender.unansweredNackCount();
    }

    /** Datagrams SRTP/SRTCP dropped (authentication, replay). */
    public long srtpDropCount() {
        return receiver.srtpDropCount();
    }

    /** Transport-wide feedback packets sent about the packets received. */
    public long transportFeedbackCount() {
        return arrivals.feedbackCount();
    }

    /**
     * Received transport-wide sequence numbers dropped as nonsense (a jump too far ahead or behind), plus those never
     * reported (feedback could not leave, or the peer's counter restarted).
     */
    public long transportSequenceDropCount() {
        return arrivals.droppedCount() + arrivals.unreportedCount();
    }

    /** Datagrams dropped because the send queue was full. */
    public long sendQueueDropCount() {
        return out.dropped();
    }
}
