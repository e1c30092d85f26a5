package org.rtc4j.rtp.session.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.HeaderExtensions;
import org.rtc4j.rtp.RtpPacket;
import org.rtc4j.rtp.TransportSequenceNumber;
import org.rtc4j.rtp.payload.TelephoneEvent;
import org.rtc4j.rtp.session.ExtensionIds;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.rtp.srtp.SrtpContext;

/**
 * The receiving side of a session: each datagram unprotected into a pooled buffer, RTCP (RFC 5761 section 4)
 * handed to the {@link RtcpAgent}, RTP demultiplexed to its stream, counted (RFC 3550 appendix A; RTX apart,
 * RFC 4588 6.2), tracked for NACKs and put in the stream's jitter buffer, whose whole frames come out as events;
 * telephone events (RFC 4733) come out as events of their own. The CSRCs and audio levels (RFC 6464, 6465) of
 * packets go with their frame. Every authentic packet's transport-wide sequence number, when negotiated, goes to
 * the {@link TransportWideArrivals} first, whatever its stream (padding-only probes included). A buffer returns to
 * the pool when its packet is dropped or its frame released, so a warm receiver allocates nothing per packet.
 */
public final class Receiver {

    /** The largest datagram taken, and the size of the pooled buffers. */
    public static final int BUFFER_SIZE = 2048;

    private final SrtpContext rx;
    private ExtensionIds ids;
    private final List<ReceiveStream> streams;
    private final Demux demux;
    private final RtcpAgent rtcp;
    private final Queue<RtpSessionEvent> events;
    private final TransportWideArrivals arrivals;
    private final ArrayDeque<ByteBuffer> pool = new ArrayDeque<>();
    private final RtpPacket packet = new RtpPacket();
    private final HeaderExtensions.Cursor cursor = new HeaderExtensions.Cursor();
    /** Telephone-event payload types accepted on received streams (RFC 4733), one bit each. */
    private long eventTypesLow;
    private long eventTypesHigh;
    private long now;
    private long malformed;
    private long unknownSsrc;
    private long srtpDropped;

    /** Receives into {@code streams}, bound by {@code demux}; {@code rx} unprotects (null: plain RTP). */
    public Receiver(SrtpContext rx, ExtensionIds ids, List<ReceiveStream> streams, Demux demux, RtcpAgent rtcp,
                    Queue<RtpSessionEvent> events, TransportWideArrivals arrivals) {
        this.rx = rx;
        this.ids = ids;
        this.streams = streams;
        this.demux = demux;
        this.rtcp = rtcp;
        this.events = events;
        this.arrivals = arrivals;
    }

    /** The extension ids from the next packet on (a renegotiation added some, RFC 8285 section 6). */
    public void extensions(ExtensionIds value) {
        ids = value;
        demux.extensions(value);
    }

    /** Adds an expected incoming stream, bound now when its SSRC is signaled. */
    public void addStream(ReceiveStreamConfig config, long nackGiveUpNanos) {
        FrameSink frames = new FrameSink();
        ReceiveStream s = new ReceiveStream(config, nackGiveUpNanos, frames);
        frames.stream = s;
        streams.add(s);
        if (s.bound && demux.bind(s.ssrc, s, false) < 0) {
            throw new IllegalStateException("more than " + Demux.MAX_BINDINGS + " SSRCs");
        }
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

    /**
     * Takes one SRTP/SRTCP (or plain) datagram; what is wrong with it is dropped and counted. False when its
     * length alone ruled it out, so nothing changed but that count.
     */
    public boolean receive(long nowNanos, ByteBuffer data) {
        this.now = nowNanos;
        int length = data.remaining();
        if (length < 8 || length > BUFFER_SIZE) {
            malformed++;
            return false;
        }
        int b1 = data.get(data.position() + 1) & 0xFF;
        ByteBuffer b = take();
        if (b1 >= 192 && b1 <= 223) {
            // RFC 5761 section 4: RTCP packet types 192-223 where RTP would have payload types 64-95.
            data.get(data.position(), b.array(), 0, length);
            int n = rx == null ? length : rx.unprotectRtcp(b.array(), 0, length);
            if (n < 0) {
                srtpDropped++;
            } else if (!rtcp.receive(nowNanos, b.array(), n)) {
                malformed++;
            }
            pool.push(b);
        } else {
            receiveRtp(data, b, length);
        }
        return true;
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
        if (ids.receivedTransportSequence() > 0) {
            noteTransportSequence(b);
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
        int pt = packet.payloadType();
        if (rtx) {
            // RFC 4588 section 4: the original packet, in the payload type its RTX payload type names (apt), which
            // is an older codec's when the peer switched codecs since: it completes a frame of that codec.
            ReceiveStreamConfig original = pt == s.config.rtxPayloadType() ? s.config : demux.rtxFormat(s, pt);
            if (original == null || length2 < 2) {
                pool.push(b); // padding-only probes and other payload types carry no media
                return;
            }
            pt = original.payloadType();
            seq = b.getShort(offset) & 0xFFFF;
            offset += 2;
            length2 -= 2;
        } else if (pt != s.config.payloadType()) {
            if (isEventType(pt)) {
                if (length2 >= TelephoneEvent.LENGTH) {
                    receiveEvent(s, b, offset, length2, seq);
                } else {
                    malformed++;
                }
                pool.push(b);
                return;
            }
            ReceiveStreamConfig other = demux.format(s, pt);
            if (other == null) {
                malformed++;
                pool.push(b);
                return;
            }
            if (s.statistics.isAhead(seq)) {
                // A newer packet in another negotiated payload type: the peer switched codecs (a late packet of
                // the old one does not switch back, and goes to its own codec's frame).
                s.switchTo(other);
            }
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
        s.sources.record(packet, ids);
        if (!s.jitterBuffer.insert(ext, pt, b, offset, length2, packet.timestamp(), packet.marker())) {
            pool.push(b);
        }
        s.jitterBuffer.release(s.nack);
    }

    /** Hands the packet's transport-wide sequence number, if it has one, to the arrivals: a reused cursor. */
    private void noteTransportSequence(ByteBuffer b) {
        for (HeaderExtensions.Cursor c = packet.extensions(cursor); c.next(); ) {
            if (c.id() == ids.receivedTransportSequence()) {
                int number = TransportSequenceNumber.read(b, c.offset(), c.length());
                if (number >= 0) {
                    arrivals.received(now, number, packet.ssrc());
                }
                return;
            }
        }
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

    /** Datagrams dropped as malformed (not RTP/RTCP, bad lengths, unexpected payload type). */
    public long malformedCount() {
        return malformed;
    }

    /** Authentic RTP packets of an SSRC no stream could take. */
    public long unknownSsrcCount() {
        return unknownSsrc;
    }

    /** Datagrams SRTP/SRTCP dropped (authentication, replay). */
    public long srtpDropCount() {
        return srtpDropped;
    }

    /** Takes the jitter buffers' output: frames become events, spent buffers go back to the pool. */
    private final class FrameSink implements JitterBuffer.Sink {
        private ReceiveStream stream;

        @Override
        public void frame(EncodedFrame frame) {
            ReceiveStream s = stream;
            events.add(new RtpSessionEvent.FrameReceived(s.config.mid(), s.config.rid(), s.ssrc, frame,
                    s.sources.take(frame.timestamp())));
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
