package org.rtc4j.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.ice.DirectPath;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.rtp.AudioLevel;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Packetizer;
import org.rtc4j.rtp.payload.PayloadFormats;
import org.rtc4j.rtp.payload.TelephoneEvent;
import org.rtc4j.rtp.session.ExtensionIds;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.RtpSession;
import org.rtc4j.rtp.session.RtpSessionConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.rtp.session.SendStreamConfig;
import org.rtc4j.rtp.srtp.SrtpContext;
import org.rtc4j.rtp.srtp.SrtpMasterKey;
import org.rtc4j.rtp.srtp.SrtpProfile;

/**
 * The media half of a {@link PeerStack}: SRTP and the RTP session on the one bundled transport (RFC 8834,
 * RFC 9143). The streams are configured by the negotiation at any time; the session exists from the moment
 * DTLS connects with a use_srtp profile (RFC 5764 section 4.2: the keys come from the DTLS exporter) and
 * takes the streams configured so far. Sans-IO as the stack: every call gets the caller's {@code now}.
 *
 * <p>The way up is {@link #receive}: SRTP/SRTCP is authenticated and decrypted inside the session, which
 * demultiplexes by SSRC, MID and payload type and releases whole frames as events. The way down is
 * {@link #poll}: the session's protected packets go as they are (no DTLS record) into the driver's buffer, with
 * the path of ICE's selected pair to send them on.
 */
public final class MediaTransport {

    /** Large enough for any packet the session writes: its largest RTP packet plus the SRTP tag. */
    private static final int MAX_DATAGRAM = 2048 + 64;
    /**
     * SRTP packets kept from before our side has the keys: the DTLS server is connected one flight before the
     * client, and its first media (a key frame) would otherwise be lost where no NACK can recover it. A 2 Mbit/s
     * stream's key frame is 15 to 20 packets, and the server goes on sending (audio, the next frames) for as long
     * as the client takes to finish its handshake (tens of milliseconds on a busy machine): room for about 150 ms
     * of such a call. At most 128 datagrams of at most {@link #MAX_DATAGRAM}, from a pair ICE authenticated.
     */
    static final int MAX_EARLY = 128;

    private final List<SendStreamConfig> sendStreams = new ArrayList<>();
    private final Map<Integer, Packetizer> packetizers = new HashMap<>();
    /** The formats negotiated for each send stream, the preferred first: what its frames may switch it to. */
    private final Map<Integer, List<SendFormat>> formats = new HashMap<>();
    private final List<ReceiveStreamConfig> receiveStreams = new ArrayList<>();
    private final List<Integer> eventTypes = new ArrayList<>();
    private final ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM);
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private RtpSessionConfig config;
    private RtpSession session;
    private TransportAddress local;
    private TransportAddress remote;
    private boolean closed;
    /** Frames given before SRTP was up, without a stream to carry them, or refused whole by their payload format. */
    private long framesNotSent;
    /** Datagrams ICE would not take (no usable pair at that moment). */
    private long notSent;

    MediaTransport(RtpSessionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The session's settings (CNAME, first extension ids), applied when it starts; ids: {@link #useExtensions}. */
    void configure(RtpSessionConfig value) {
        if (session == null) {
            config = Objects.requireNonNull(value, "config");
        }
    }

    /** The RTCP CNAME, for the a=ssrc lines of our sections (RFC 7022: one per connection). */
    public String cname() {
        return config.cname();
    }

    /**
     * The header extensions' ids the latest offer/answer settled, from now on (RFC 8285 section 6: a renegotiation
     * may add some, as a track added later brings its section's): kept for the session's start, or applied to the
     * running session's streams, both ways.
     */
    void useExtensions(ExtensionIds ids) {
        config = config.withExtensions(ids);
        if (session != null) {
            session.extensions(ids);
        }
    }

    /** The header extensions' ids in use: the latest negotiation's. */
    ExtensionIds extensions() {
        return config.extensions();
    }

    /** A negotiated format of a send stream: its payload types and the packetizer of its codec. */
    record SendFormat(SendStreamConfig config, Packetizer packetizer) {
    }

    /**
     * The stream of an SSRC after an offer/answer, given the formats it negotiated ({@code negotiated}, the
     * preferred first): a new stream starts in the preferred one. A running stream keeps its codec while that is
     * still negotiated (its payload types updated), and switches when the first frame of another negotiated codec
     * comes ({@link #send}): an encoder changes codec between two frames, so the frames it made before the switch
     * still go, and the receiver sees one codec end and the next begin (RFC 3264 section 8.3.2: the old formats
     * stay acceptable until the new ones are used). Without its codec, it switches to the preferred one at once.
     */
    void sendStream(List<SendFormat> negotiated) {
        SendFormat preferred = negotiated.get(0);
        int ssrc = preferred.config().ssrc();
        formats.put(ssrc, List.copyOf(negotiated));
        SendStreamConfig active = activeStream(ssrc);
        SendFormat same = active == null ? null : format(ssrc, active.codec());
        SendFormat next = same != null ? same : preferred;
        if (!next.config().equals(active)) {
            sendStream(next.config(), next.packetizer());
        }
    }

    private SendStreamConfig activeStream(int ssrc) {
        for (SendStreamConfig s : sendStreams) {
            if (s.ssrc() == ssrc) {
                return s;
            }
        }
        return null;
    }

    /** The first negotiated format of {@code codec} for stream {@code ssrc}, or null. */
    private SendFormat format(int ssrc, org.rtc4j.rtp.Codec codec) {
        for (SendFormat f : formats.getOrDefault(ssrc, List.of())) {
            if (f.config().codec() == codec) {
                return f;
            }
        }
        return null;
    }

    void addSendStream(SendStreamConfig stream) {
        if (sendStreams.stream().noneMatch(s -> s.ssrc() == stream.ssrc())) {
            sendStream(stream, PayloadFormats.packetizer(stream.codec()));
        }
    }

    /**
     * The stream of {@code stream.ssrc()} from now on, cut by {@code packetizer}: added, or changed in place (a
     * renegotiation picked another codec: the session keeps its sequence numbers and timestamps).
     */
    void sendStream(SendStreamConfig stream, Packetizer packetizer) {
        int i = 0;
        while (i < sendStreams.size() && sendStreams.get(i).ssrc() != stream.ssrc()) {
            i++;
        }
        packetizers.put(stream.ssrc(), packetizer);
        if (i == sendStreams.size()) {
            sendStreams.add(stream);
            if (session != null) {
                session.addSendStream(stream, packetizer);
            }
        } else {
            sendStreams.set(i, stream);
            if (session != null) {
                session.replaceSendStream(stream, packetizer);
            }
        }
    }

    void addReceiveStream(ReceiveStreamConfig stream) {
        receiveStreams.add(stream);
        if (session != null) {
            session.addReceiveStream(stream);
        }
    }

    /**
     * DTLS connected: the SRTP contexts from its exported keying material, one per direction (the client writes
     * with the client's key, RFC 5764 section 4.2), then the session. Returns false when the peers agreed on no
     * use_srtp profile (a data-only peer): media stays off.
     */
    boolean start(Instant now, DtlsEvent.Connected connected, boolean isClient, TransportAddress localAddress,
                  TransportAddress remoteAddress) {
        if (session != null || closed || connected.srtpProfile() == null || connected.srtpKeyingMaterial() == null) {
            return false;
        }
        SrtpProfile profile = SrtpProfile.fromDtlsId(connected.srtpProfile().id());
        byte[] material = connected.srtpKeyingMaterial();
        SrtpContext tx = new SrtpContext(SrtpMasterKey.fromDtlsKeyingMaterial(profile, material, isClient, true));
        SrtpContext rx = new SrtpContext(SrtpMasterKey.fromDtlsKeyingMaterial(profile, material, isClient, false));
        local = localAddress;
        remote = remoteAddress;
        session = new RtpSession(config, local, remote, tx, rx);
        sendStreams.forEach(s -> session.addSendStream(s, packetizers.get(s.ssrc())));
        receiveStreams.forEach(session::addReceiveStream);
        eventTypes.forEach(session::receiveTelephoneEvents);
        for (byte[] packet; (packet = early.poll()) != null; ) {
            session.handleInput(now, remote, local, ByteBuffer.wrap(packet));
        }
        return true;
    }

    /**
     * Keeps (a copy of) a packet that came before the keys, to be read once they are there; false when it is
     * not kept (the session runs or is closed, too many wait already, or it is too large).
     */
    boolean keepEarly(ByteBuffer packet) {
        if (session != null || closed || early.size() >= MAX_EARLY || packet.remaining() > MAX_DATAGRAM) {
            return false;
        }
        byte[] copy = new byte[packet.remaining()];
        packet.duplicate().get(copy);
        early.add(copy);
        return true;
    }

    /** Whether media flows: SRTP is keyed and the connection is not closed. */
    public boolean running() {
        return session != null && !closed;
    }

    /** An SRTP or SRTCP datagram from the selected pair (first byte 128..191, RFC 7983). */
    void receive(Instant now, ByteBuffer datagram) {
        session.handleInput(now, remote, local, datagram);
    }

    /** One frame of the stream {@code ssrc}; dropped and counted before SRTP is up or without that stream. */
    public void send(Instant now, int ssrc, EncodedFrame frame) {
        send(now, ssrc, frame, null);
    }

    /**
     * As {@link #send(Instant, int, EncodedFrame)}, with the audio level the encoder measured (null: none). A frame
     * of another negotiated codec switches the stream to it, from this frame on (see {@link #sendStream(List)}: a
     * renegotiation's new codec, or a replaced track's source of another codec); a frame of a codec not negotiated
     * is dropped and counted.
     */
    public void send(Instant now, int ssrc, EncodedFrame frame, AudioLevel level) {
        SendStreamConfig active = activeStream(ssrc);
        if (!running() || active == null) {
            framesNotSent++;
            return;
        }
        if (active.codec() != frame.codec()) {
            SendFormat other = format(ssrc, frame.codec());
            if (other == null) {
                framesNotSent++;
                return;
            }
            sendStream(other.config(), other.packetizer());
        }
        try {
            session.send(now, ssrc, frame, level);
        } catch (IllegalArgumentException notCarried) {
            // the payload format refused it whole (an H.264 NAL unit over the MTU in packetization-mode 0, a
            // malformed frame from the application): dropped and counted, never thrown into the loop
            framesNotSent++;
        }
    }

    /** One telephone-event report in stream {@code ssrc} (RFC 4733); dropped before SRTP is up. */
    public void sendTelephoneEvent(Instant now, int ssrc, int payloadType, long timestamp, TelephoneEvent report,
                                   boolean first) {
        if (running() && sendStreams.stream().anyMatch(s -> s.ssrc() == ssrc)) {
            session.sendTelephoneEvent(now, ssrc, payloadType, timestamp, report, first);
        }
    }

    /** Where stream {@code ssrc}'s RTP clock stands at {@code at} (the start of an event sent then). */
    public long timestampAt(int ssrc, Instant at) {
        return running() ? session.timestampAt(ssrc, at) : 0;
    }

    /** Telephone events of this payload type are accepted on received streams (RFC 4733). */
    void receiveTelephoneEvents(int payloadType) {
        eventTypes.add(payloadType);
        if (session != null) {
            session.receiveTelephoneEvents(payloadType);
        }
    }

    /** Asks the sender of a received stream for a key frame (PLI, RFC 4585 section 6.3.1). */
    public void requestKeyFrame(int ssrc) {
        if (running()) {
            session.requestKeyFrame(ssrc);
        }
    }

    /** The session's next event (a whole frame, a key frame request, a stream bound), or null. */
    RtpSessionEvent pollEvent() {
        return session == null ? null : session.pollEvent();
    }

    void handleTimeout(Instant now) {
        if (running()) {
            Instant due = session.pollTimeout();
            if (due != null && !now.isBefore(due)) {
                session.handleTimeout(now);
            }
        }
    }

    Instant pollTimeout() {
        return running() ? session.pollTimeout() : null;
    }

    /**
     * The session's next protected packet, written into {@code into} (flipped), with the path the driver sends
     * it on; null when none is left. A packet that cannot go straight from a socket goes to ICE (a relayed pair:
     * ICE wraps a copy for TURN), or is dropped and counted (no pair, consent expired).
     */
    DirectPath poll(Instant now, IceAgent ice, ByteBuffer into) {
        if (session == null) {
            return null;
        }
        while (session.pollTransmit(into.clear())) {
            into.flip();
            DirectPath path = ice.sendDirect();
            if (path != null) {
                return path;
            }
            if (!ice.send(now, into)) {
                notSent++;
            }
        }
        return null;
    }

    /** The session's protected packets to ICE, on the selected pair, each copied (generic pumps, and close). */
    void flush(Instant now, IceAgent ice) {
        if (session == null) {
            return;
        }
        while (session.pollTransmit(out.clear())) {
            if (!ice.send(now, out.flip())) {
                notSent++;
            }
        }
    }

    /** Says goodbye for our streams (RFC 3550 section 6.6); the caller flushes once more, then nothing moves. */
    void close(Instant now) {
        if (running()) {
            session.sendGoodbye(now, "closed");
        }
        closed = true;
        early.clear();
    }

    /** The session, for statistics (W3C inbound-rtp, outbound-rtp...); null before DTLS connects. */
    public RtpSession session() {
        return session;
    }

    String describe() {
        if (session == null) {
            return "no media";
        }
        return "media: SRTP dropped " + session.srtpDropCount() + ", malformed " + session.malformedCount()
                + ", unknown SSRC " + session.unknownSsrcCount() + ", frames not sent " + framesNotSent
                + ", datagrams not sent " + notSent;
    }
}
