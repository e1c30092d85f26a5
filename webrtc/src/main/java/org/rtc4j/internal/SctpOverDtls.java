package org.rtc4j.internal;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import org.rtc4j.RTCSettings;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.dtls.DtlsConnection;
import org.rtc4j.dtls.DtlsState;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.sctp.datachannel.DataChannelEvent;
import org.rtc4j.sctp.datachannel.DataChannels;

/**
 * SCTP and the data channels of a {@link PeerStack} on its DTLS association (RFC 8261): started once DTLS can
 * carry them, one packet in per decrypted DTLS record, packets out into DTLS records, their events up as
 * {@link PeerEvent}s. Nothing is copied on the way: SCTP reads the record where DTLS decrypted it (and copies
 * what it keeps), and writes each outgoing packet into one buffer that DTLS encrypts from.
 */
final class SctpOverDtls {

    /**
     * The largest DTLS datagram sent to a peer that does not say what it takes: Chromium 156 fails the whole
     * connection on a larger one (measured: a 2,037-byte datagram passes, 4,133 bytes breaks it; libwebrtc
     * buffers DTLS packets in 2,048 bytes) instead of dropping the probe as RFC 8899 expects.
     */
    private static final int UNANNOUNCED_MAX_DATAGRAM = 2048;

    private final RTCSettings settings;
    /** The stack's event queue, where the data channels' events join the other layers'. */
    private final ArrayDeque<PeerEvent> events;
    private final SetupTrace trace;
    private final byte[] out;
    private final ByteBuffer outBuffer;
    private DataChannels channels;
    private SctpState state;

    SctpOverDtls(RTCSettings settings, ArrayDeque<PeerEvent> events, SetupTrace trace) {
        this.settings = settings;
        this.events = events;
        this.trace = trace;
        this.out = new byte[settings.sctpMaxPacketSize()];
        this.outBuffer = ByteBuffer.wrap(out);
    }

    /** The data channels once started, else {@code null}. */
    DataChannels channels() {
        return channels;
    }

    /**
     * Starts the association (once) toward the peer's {@code a=sctp-port}, unless the peer negotiated no data
     * channels (media only); {@code maxMtu} is where path MTU discovery stops (RFC 8899 section 5.1.2).
     */
    void start(Instant now, boolean client, RemoteTransport remote, int maxMtu) {
        if (channels != null || remote.sctpPort() <= 0) {
            return;
        }
        SctpSettings ss = SctpSettings.defaults().withPorts(5000, remote.sctpPort())
                .withBuffers(settings.sctpReceiveWindow(), settings.sctpSendBuffer())
                // RTO.Min 400 ms rather than 200: a stalled peer (GC, a busy machine) otherwise triggers spurious
                // T3-rtx timeouts that collapse the congestion window (RFC 9260 section 6.3.3) though nothing
                // was lost. RFC 9260 itself says 1 s; browsers use less.
                .withRto(1000, 400, 60_000)
                .withMaxMtu(maxMtu)
                .withMaxMessageSize((int) Math.min(Integer.MAX_VALUE, settings.maxMessageSize()));
        channels = new DataChannels(ss, client, remote.maxMessageSize());
        channels.connect(now);
        events.add(new PeerEvent.SctpStarted(channels));
    }

    /** An SCTP packet (one DTLS record, read in place): the data channels' events come out of {@link #pollEvents}. */
    void receive(Instant now, ByteBuffer packet) {
        if (trace != null) {
            trace.sctp("in", packet, now);
        }
        if (channels != null) {
            channels.handlePacket(now, packet);
        }
    }

    /** The data channels' events and the association's state changes, onto the stack's queue. */
    void pollEvents(Instant now) {
        if (channels == null) {
            return;
        }
        for (DataChannelEvent e; (e = channels.pollEvent()) != null; ) {
            events.add(new PeerEvent.Channel(e));
            if (trace != null && e instanceof DataChannelEvent.Open) {
                trace.mark("channel-open", now);
                trace.print("open");
            }
        }
        SctpState s = channels.association().state();
        if (s != state) {
            state = s;
            events.add(new PeerEvent.SctpStateChanged(s));
            if (trace != null) {
                trace.mark("sctp-" + s, now);
            }
        }
    }

    /** SCTP's packets, each into a DTLS record, while DTLS can send. */
    void sendInto(Instant now, DtlsConnection dtls) {
        if (channels == null || !dtls.canSend()) {
            return;
        }
        while (true) {
            outBuffer.clear();
            int n = channels.pollPacket(now, outBuffer);
            if (n <= 0) {
                return;
            }
            if (trace != null) {
                trace.sctp("out", ByteBuffer.wrap(out, 0, n), now);
            }
            dtls.send(out, 0, n);
        }
    }

    /**
     * MAX_PLPMTU for SCTP's path MTU discovery (RFC 8899 section 5.1.2): the first hop's MTU on the selected
     * pair (from {@code locals}, the bound addresses with their interfaces' MTUs), less the IP, UDP, TURN and
     * DTLS record overheads, at most the settings' cap. SCTP probes up to it.
     */
    int maxMtu(CandidatePair selected, DtlsConnection dtls, RemoteTransport remote,
            Map<TransportAddress, Integer> locals) {
        if (selected == null || dtls == null || dtls.state() != DtlsState.CONNECTED) {
            return PeerStack.BASE_PACKET;
        }
        int udp = PathMtu.maxUdpPayload(selected, locals.keySet(), ip -> interfaceMtu(locals, ip));
        if (udp < 0) {
            return PeerStack.BASE_PACKET;
        }
        int peer = remote.maxDatagram() > 0 ? remote.maxDatagram() : UNANNOUNCED_MAX_DATAGRAM;
        int record = dtls.maxApplicationData(Math.min(Math.min(udp, peer), PeerStack.MAX_UDP_PAYLOAD));
        return Math.max(PeerStack.BASE_PACKET, Math.min(settings.sctpMaxPacketSize(), record));
    }

    private static int interfaceMtu(Map<TransportAddress, Integer> locals, InetAddress ip) {
        for (Map.Entry<TransportAddress, Integer> e : locals.entrySet()) {
            if (e.getKey().ip().equals(ip)) {
                return e.getValue();
            }
        }
        return -1;
    }

    /** MAX_PLPMTU changed (a new selected pair, or DTLS connected after SCTP started with False Start). */
    void setMaxMtu(Instant now, int maxMtu) {
        channels.setMaxMtu(now, maxMtu);
    }

    Instant pollTimeout() {
        return channels == null ? null : channels.pollTimeout();
    }

    void handleTimeout(Instant now) {
        Instant at = pollTimeout();
        if (at != null && !now.isBefore(at)) {
            channels.handleTimeout(now);
        }
    }

    /** Ends the association with an ABORT (RFC 9260 section 9.1) unless it is closed already. */
    void abort(String reason) {
        if (channels != null && channels.association().state() != SctpState.CLOSED) {
            channels.association().abort(reason);
        }
    }

    /** SCTP's counters, for the log line at close. */
    String describe() {
        return channels == null ? "no SCTP" : channels.association() + ", " + channels.association().stats()
                + ", " + channels.describe();
    }
}
