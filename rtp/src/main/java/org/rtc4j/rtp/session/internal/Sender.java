package org.rtc4j.rtp.session.internal;

import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.AbsSendTime;
import org.rtc4j.rtp.AudioLevel;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.RtpHeaderWriter;
import org.rtc4j.rtp.RtpPacket;
import org.rtc4j.rtp.TransportSequenceNumber;
import org.rtc4j.rtp.payload.Packetizer;
import org.rtc4j.rtp.payload.TelephoneEvent;
import org.rtc4j.rtp.session.ExtensionIds;
import org.rtc4j.rtp.session.RtpSessionConfig;
import org.rtc4j.rtp.srtp.SrtpContext;

/**
 * The sending side of a session: frames cut by their stream's packetizer, each packet's header written (MID,
 * RID, audio level, abs-send-time, transport-wide sequence number), kept in the stream's history, protected and queued;
 * telephone events sent in an audio stream (RFC 4733); NACKed packets sent again, through RTX when negotiated
 * (RFC 4588). Allocates nothing per packet.
 */
public final class Sender {

    private final RtpSessionConfig config;
    private final SrtpContext tx;
    private final OutQueue out;
    private final List<SendStream> streams;
    private final RtpPacket packet = new RtpPacket();
    private final RtpHeaderWriter writer = new RtpHeaderWriter();
    private final Packetizer.PayloadSink sink = this::onPayload;
    private final byte[] eventReport = new byte[TelephoneEvent.LENGTH];
    /** The stream whose frame or event is being packetized, and its RTP timestamp. */
    private SendStream sending;
    private long sendingTimestamp;
    /** The payload type of the telephone event being sent, -1 otherwise (it shares the stream's SSRC). */
    private int sendingEventType = -1;
    /** The audio level of the frame being packetized (RFC 6464), null when none is sent. */
    private AudioLevel sendingLevel;
    /** The header extensions' ids: the session's, changed by {@link #extensions(ExtensionIds)}. */
    private ExtensionIds ids;
    private long now;
    private int transportSequence;
    private long unansweredNacks;

    /** Sends {@code streams}' packets into {@code out}, protected by {@code tx} (null: plain RTP). */
    public Sender(RtpSessionConfig config, SrtpContext tx, OutQueue out, List<SendStream> streams) {
        this.config = config;
        this.ids = config.extensions();
        this.tx = tx;
        this.out = out;
        this.streams = streams;
    }

    /**
     * Packetizes one frame of stream {@code ssrc}, its packets carrying {@code level} (RFC 6464) when that
     * extension is negotiated and the level is known (null: not); see {@code RtpSession.send}.
     */
    public void send(long nowNanos, int ssrc, EncodedFrame frame, AudioLevel level) {
        this.now = nowNanos;
        SendStream s = SendStream.find(streams, ssrc);
        if (s == null || frame.codec() != s.config.codec()) {
            throw new IllegalArgumentException("no stream of SSRC " + Integer.toUnsignedString(ssrc) + " for "
                    + frame.codec());
        }
        long ts = (frame.timestamp() + s.timestampOffset) & 0xFFFF_FFFFL;
        sending = s;
        sendingTimestamp = ts;
        sendingLevel = s.config.codec().isVideo() ? null : level;
        try {
            prepareHeader(s, 0, false);
            int room = config.maxPacketSize() - writer.length();
            // a frame the format cannot carry (an H.264 NAL unit over the MTU in packetization-mode 0) is
            // refused before its first packet: nothing of it goes, nothing is counted
            s.packetizer.packetize(frame, room, sink);
        } finally {
            sending = null;
            sendingLevel = null;
        }
        s.lastTimestamp = ts;
        s.lastTimestampNanos = nowNanos;
        s.sentAny = true;
        s.frames++;
    }

    /** Sends one telephone-event report in stream {@code ssrc}; see {@code RtpSession.sendTelephoneEvent}. */
    public void sendTelephoneEvent(long nowNanos, int ssrc, int payloadType, long timestamp,
                                   TelephoneEvent report, boolean first) {
        this.now = nowNanos;
        SendStream s = SendStream.find(streams, ssrc);
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

    /** Where stream {@code ssrc}'s clock stands at {@code atNanos}; see {@code RtpSession.timestampAt}. */
    public long timestampAt(int ssrc, long atNanos) {
        SendStream s = SendStream.find(streams, ssrc);
        if (s == null || !s.sentAny) {
            return 0;
        }
        long elapsed = Math.max(0, atNanos - s.lastTimestampNanos);
        long ticks = elapsed / 1000 * s.config.codec().clockRate() / 1_000_000;
        return (s.lastTimestamp - s.timestampOffset + ticks) & 0xFFFF_FFFFL;
    }

    /** The extension ids from the next packet on (a renegotiation added some, RFC 8285 section 6). */
    public void extensions(ExtensionIds value) {
        ids = value;
    }

    private void prepareHeader(SendStream s, int seq, boolean marker) {
        int pt = sendingEventType >= 0 ? sendingEventType : s.config.payloadType();
        writer.reset().payloadType(pt).marker(marker).sequenceNumber(seq).timestamp(sendingTimestamp)
                .ssrc(s.config.ssrc());
        if (ids.mid() > 0 && s.midBytes != null) {
            writer.extension(ids.mid(), s.midBytes);
        }
        if (ids.rid() > 0 && s.ridBytes != null) {
            writer.extension(ids.rid(), s.ridBytes);
        }
        if (ids.audioLevel() > 0 && sendingLevel != null && sendingEventType < 0) {
            AudioLevel.write(writer, ids.audioLevel(), sendingLevel.voice(), sendingLevel.level());
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
        if (ids.transportSequence() > 0) {
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
     * Sends packet {@code seq} of {@code s} again, through RTX when negotiated (RFC 4588 section 4), in the RTX
     * payload type of the packet's own payload type (an older codec's, for a packet sent before a switch). Under SRTP
     * without RTX the request goes unanswered (counted): the packet would be protected again under the index it
     * was sent with, and with its transport-wide sequence number rewritten that is a new plaintext under a used
     * AES-CM keystream or GCM nonce, which RFC 3711 section 9.1 forbids (RFC 4588 is how SRTP retransmits).
     */
    public void retransmit(long nowNanos, SendStream s, int seq) {
        if (tx != null && !s.config.hasRtx()) {
            unansweredNacks++;
            return;
        }
        ByteBuffer p = s.history.find(seq, nowNanos);
        // the RTX SSRC is the current format's: without RTX now, none is sent
        int rtxType = p == null || !s.config.hasRtx() ? -1 : s.rtxTypeOf(p.get(1) & 0x7F);
        if (p != null && rtxType < 0 && tx != null) {
            unansweredNacks++; // a payload type without RTX (a telephone event, a codec negotiated without it)
            return;
        }
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
        if (rtxType >= 0) {
            // RTX: own SSRC, payload type and sequence number; the original sequence number opens the payload.
            System.arraycopy(p.array(), 0, slot, 0, header);
            slot[1] = (byte) ((slot[1] & 0x80) | rtxType);
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
        long twcc = packet.findExtension(ids.transportSequence());
        if (ids.transportSequence() > 0 && twcc >= 0 && (twcc & 0xFFFF) == 2) {
            int at = (int) (twcc >>> 16);
            slot[at] = (byte) (transportSequence >>> 8);
            slot[at + 1] = (byte) transportSequence;
            transportSequence = (transportSequence + 1) & 0xFFFF;
        }
        s.retransmittedPackets++;
        s.retransmittedBytes += length - header;
        out.commit(tx == null ? n : tx.protectRtp(slot, 0, n), true);
    }

    /** Retransmission requests not answered: packets of a stream or payload type that has no RTX, under SRTP. */
    public long unansweredNackCount() {
        return unansweredNacks;
    }
}
