package org.rtc4j.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import org.rtc4j.RTCSettings;
import org.rtc4j.core.Engine;
import org.rtc4j.core.PacketKind;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.dtls.DtlsConnection;
import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.dtls.DtlsRole;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.dtls.DtlsState;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.DirectPath;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.rtp.session.RtpSessionConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.sctp.datachannel.DataChannels;

/**
 * The whole transport of a peer connection as one sans-IO engine (ARCHITECTURE.md, the peer connection, inside):
 * a datagram goes in, through ICE, then by its first byte (RFC 7983) to DTLS and on to SCTP and the data
 * channels; datagrams to send, events and the next timeout come out. No sockets, no threads, no clock: the
 * caller passes {@code now}. The same stack runs under the socket driver and on a simulated network.
 *
 * <p>Read {@link #handleInput} to follow a datagram from the socket to a data channel's message: it is one
 * straight path, and nothing on it calls back into the owner. The way down is {@link #flushOut}: SCTP packets
 * into DTLS records into ICE datagrams. Received data is never copied between the layers: ICE hands out a view
 * of the datagram, DTLS decrypts into one buffer it reuses, SCTP copies what it keeps.
 *
 * <p>Media plugs in beside DTLS: RTP and RTCP (first byte 128..191) go to {@link #mediaInput}, where the
 * {@link MediaTransport} unprotects them (SRTP keyed by the DTLS handshake) and its RTP session turns them into
 * whole frames; on the way down its protected packets go straight to ICE.
 *
 * <p>This class holds ICE and DTLS and what ties the layers together: one layer's events start the next (DTLS
 * on an ICE pair, SCTP and SRTP when DTLS connects). Beside the media, two parts own the rest of the state:
 * {@link DtlsBinding}, the one peer DTLS takes datagrams from, and {@link SctpOverDtls}, SCTP and the data
 * channels on DTLS (packets both ways, their events, the size path MTU discovery probes up to).
 *
 * <p>DTLS's handshake runs here like the rest (its resends are among {@link #pollTimeout}'s timers); only
 * with {@code -Drtc4j.dtls.loopHandshake=false} does Bouncy Castle's run on a virtual thread of its own
 * (ARCHITECTURE.md, threads): while it runs, output can appear between calls, and the {@link #onWakeup wake-up}
 * hook says so.
 */
public final class PeerStack implements Engine<PeerEvent> {

    /** The largest UDP payload (IPv4): what we receive, and say so in {@code a=x-rtc4j-max-datagram}. */
    public static final int MAX_UDP_PAYLOAD = 65_507;
    /** The SCTP packet size every WebRTC path carries (RFC 8261 section 5), before path MTU discovery. */
    public static final int BASE_PACKET = 1200;

    private final RTCSettings settings;
    private final DtlsCertificate certificate;
    /** The bound local addresses, each with its interface's MTU (SCTP's MAX_PLPMTU comes from it). */
    private final Map<TransportAddress, Integer> locals = new LinkedHashMap<>();
    private final ArrayDeque<PeerEvent> events = new ArrayDeque<>();
    private Runnable wakeup = () -> { };

    private IceAgent ice;
    private DtlsConnection dtls;
    private DtlsRole dtlsRole;
    private RemoteTransport remote;
    /** The one peer DTLS takes datagrams from. */
    private final DtlsBinding dtlsBinding = new DtlsBinding();
    private final SctpOverDtls sctp;
    private final MediaTransport media;
    private boolean closed;
    /** The time of the last call that passed one (what {@link #pollTransmit} hands media to ICE with). */
    private Instant lastNow = Instant.EPOCH;
    /** Where each DTLS datagram is taken on its way to ICE's queue. */
    private final ByteBuffer dtlsOut = ByteBuffer.allocate(1 << 16);
    /** Datagrams on an authenticated pair that no layer takes (media before SRTP is keyed, unknown first bytes). */
    private long unclaimed;
    /** The set-up timeline, with {@code -Drtc4j.trace.setup=true} only. */
    private final SetupTrace trace = SetupTrace.ENABLED ? new SetupTrace() : null;

    public PeerStack(RTCSettings settings, DtlsCertificate certificate) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        if (DtlsSettings.defaults().loopHandshake()) {
            DtlsConnection.prepareKeyExchange();    // DTLS's key made now, not when the descriptions are applied
        }
        this.sctp = new SctpOverDtls(settings, events, trace);
        // RFC 7022: a random CNAME per connection; the reporting SSRC random as well (RFC 3550 section 8.1).
        SplittableRandom random = new SplittableRandom();
        int rtcpSsrc = random.nextInt();
        this.media = new MediaTransport(RtpSessionConfig.defaults(rtcpSsrc, Long.toHexString(random.nextLong()))
                .withSeed(random.nextLong()));
    }

    // =================================================================================== set-up

    /**
     * Marks a step of the API (a description applied, an offer made) in the set-up trace, at the wall clock: the
     * timeline then shows how long each call waited for the loop and how long it took on it.
     */
    public void traceApi(String step) {
        if (trace != null) {
            trace.mark(step, Instant.now());
        }
    }

    /** A socket the driver bound, with the MTU of its interface (-1 when unknown). */
    public void addLocalAddress(TransportAddress address, int interfaceMtu) {
        locals.put(address, interfaceMtu);
        if (ice != null) {
            ice.addLocalAddress(address);
        }
    }

    public Set<TransportAddress> localAddresses() {
        return locals.keySet();
    }

    /**
     * A hook run on the DTLS handshake's thread when output appears outside the caller's calls; it should only
     * schedule a {@link #drive} on the caller's thread.
     */
    public void onWakeup(Runnable hook) {
        this.wakeup = Objects.requireNonNull(hook, "hook");
    }

    /** Creates the ICE agent (once, with the role of whoever starts) on the bound addresses. */
    public IceAgent startIce(IceConfig config) {
        if (ice == null) {
            ice = new IceAgent(config);
            locals.keySet().forEach(ice::addLocalAddress);
        }
        return ice;
    }

    /**
     * The ICE agent, for the control plane the negotiation drives (credentials, remote candidates, gathering,
     * restart); {@code null} before {@link #startIce}. Data never goes through it from outside the stack.
     */
    public IceAgent ice() {
        return ice;
    }

    /** What the latest remote description says; the fingerprints of the first stay (DTLS is set up once). */
    public void setRemote(RemoteTransport value) {
        remote = remote == null ? value
                : new RemoteTransport(remote.fingerprints(), value.sctpPort(), value.maxMessageSize(), value.maxDatagram());
    }

    /** The peer's {@code a=max-message-size}, 0 when it takes any size. */
    public long remoteMaxMessageSize() {
        return remote == null ? DataChannels.DEFAULT_MAX_MESSAGE_SIZE : remote.maxMessageSize();
    }

    /** Both descriptions are applied: DTLS with the role they gave (once); SCTP follows when DTLS connects. */
    public void startTransport(Instant now, DtlsRole role) {
        if (dtls != null || closed) {
            return;
        }
        dtlsRole = role;
        if (trace != null) {
            trace.mark("transport-start-" + role, now);
        }
        DtlsSettings ds = DtlsSettings.defaults().withHandshakeTimeout(settings.dtlsHandshakeTimeout())
                .withInitialResendTimeout(settings.dtlsInitialResendTimeout());
        dtls = new DtlsConnection(role, certificate, ds);
        dtls.setRemoteFingerprints(remote.fingerprints());
        dtls.onWakeup(() -> wakeup.run());
        if (role == DtlsRole.SERVER || ice.sendingPair() != null) {
            startDtls(now);
        }
        drive(now);
    }

    public DtlsRole dtlsRole() {
        return dtlsRole;
    }

    /**
     * The media streams and their session, for the negotiation to configure and the senders to feed; frames go
     * out on the next {@link #drive}.
     */
    public MediaTransport media() {
        return media;
    }

    /** The SCTP layer's channels once DTLS is connected ({@link PeerEvent.SctpStarted}), else {@code null}. */
    public DataChannels channels() {
        return sctp.channels();
    }

    // =================================================================================== the way up

    /**
     * A datagram arrived at a bound socket. ICE takes STUN (checks, consent, TURN control) and hands back
     * application data that came on an authenticated pair, unwrapped from TURN when relayed; RFC 7983 section
     * 7 then sends it by its first byte to DTLS (20..63) or to media (128..191).
     */
    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        if (ice == null || closed) {
            unclaimed++;   // before ICE starts no candidate was signaled: nobody we know sent it
            return;
        }
        if (trace != null) {
            trace.datagram("in", data, now);
        }
        boolean mediaOnly = false;
        boolean other = false;
        for (ByteBuffer d = ice.receive(now, source, destination, data); d != null; d = ice.receiveNext(now)) {
            switch (d.hasRemaining() ? PacketKind.of(d.get(d.position())) : PacketKind.UNKNOWN) {
                case DTLS -> {
                    dtlsInput(now, ice.lastReceivedPair(), d);
                    other = true;
                }
                case RTP -> {
                    mediaInput(now, d);
                    mediaOnly = true;
                }
                default -> unclaimed++;
            }
        }
        // Each datagram goes all the way up, and its answers down, before the next: SCTP then acknowledges as it
        // should (every second packet, RFC 9260 section 6.2), not once per batch of reads. SRTP alone moves
        // neither ICE, DTLS nor SCTP: its frames become events here, and the rest of the stack is driven by the
        // next drive (the driver's pump after the batch), unless ICE has something to say now.
        if (mediaOnly && !other) {
            IceEvent e = ice.pollEvent();
            if (e == null) {
                lastNow = now;
                mediaEvents();
                return;
            }
            onIceEvent(now, e);
        }
        drive(now);
    }

    private void mediaEvents() {
        for (RtpSessionEvent e; (e = media.pollEvent()) != null; ) {
            events.add(new PeerEvent.Media(e));
        }
    }

    /** A DTLS datagram from a pair ICE validated: waits until DTLS is bound, then only the bound peer's goes on. */
    private void dtlsInput(Instant now, CandidatePair via, ByteBuffer datagram) {
        TransportAddress from = via == null ? null : via.remote().transportAddress();
        if (dtlsBinding.keep(from, datagram)) {
            bindDtls(now);
        } else if (dtlsBinding.admits(from, ice.sendingPair())) {
            dtlsInput(now, datagram);
        }
    }

    /** The server binds DTLS once it can answer (it has a sending pair), then takes the datagrams that waited. */
    private void bindDtls(Instant now) {
        if (dtls == null) {
            return;
        }
        for (ByteBuffer early; (early = dtlsBinding.release(ice.sendingPair())) != null; ) {
            dtlsInput(now, early);
        }
    }

    /** A DTLS datagram of the bound peer: records decrypted into DTLS's one buffer, handed to SCTP (no copy). */
    private void dtlsInput(Instant now, ByteBuffer datagram) {
        if (dtls.state() == DtlsState.NEW && dtlsRole == DtlsRole.SERVER) {
            startDtls(now);
        }
        for (ByteBuffer record = dtls.receive(now, datagram); record != null; record = dtls.pollData()) {
            sctp.receive(now, record);
        }
        if (trace != null) {
            trace.mark("dtls-read-" + dtls.state(), Instant.now());    // the handshake's work on it done
        }
    }

    /**
     * RTP or RTCP on the transport (RFC 7983): SRTP unprotects it and the RTP session takes it (RFC 8834; BUNDLE
     * demultiplexes by SSRC and MID, RFC 9143 section 9.2); whole frames come out of {@link #drive}. Before DTLS
     * has keyed SRTP a few packets wait for the keys; beyond those, or after close, it is dropped and counted.
     */
    private void mediaInput(Instant now, ByteBuffer packet) {
        if (media.running()) {
            media.receive(now, packet);
        } else if (!media.keepEarly(packet)) {
            unclaimed++;
        }
    }

    @Override
    public void handleTimeout(Instant now) {
        if (closed || ice == null) {
            return;
        }
        if (due(ice.pollTimeout(), now)) {
            ice.handleTimeout(now);
        }
        if (dtls != null && due(dtls.pollTimeout(), now)) {
            dtls.handleTimeout(now);     // the loop handshake's resends and deadline
        }
        sctp.handleTimeout(now);
        media.handleTimeout(now);
        drive(now);
    }

    private static boolean due(Instant at, Instant now) {
        return at != null && !now.isBefore(at);
    }

    /**
     * Moves what is ready: the layers' events up (reacting to those that concern another layer: DTLS starts on
     * an ICE pair, SCTP on DTLS), then output down. The owner calls it after changing something through its
     * API (a message sent, a candidate added) and when the wake-up hook fired.
     */
    public void drive(Instant now) {
        if (closed || ice == null) {
            return;
        }
        lastNow = now;
        for (IceEvent e; (e = ice.pollEvent()) != null; ) {
            onIceEvent(now, e);
        }
        bindDtls(now);
        for (DtlsEvent e; dtls != null && (e = dtls.pollEvent()) != null; ) {
            onDtlsEvent(now, e);
        }
        if (sctp.channels() == null && dtlsRole == DtlsRole.CLIENT && dtls != null
                && dtls.state() == DtlsState.CONNECTING && dtls.canSend()) {
            startSctp(now);     // False Start: SCTP's INIT goes with our Finished, a round trip sooner
        }
        sctp.pollEvents(now);
        mediaEvents();
        flushOut(now);
    }

    private void onIceEvent(Instant now, IceEvent e) {
        if (trace != null) {
            trace.ice(e, now);
        }
        switch (e) {
            case IceEvent.ConnectionStateChanged c -> {
                if (c.state() == IceConnectionState.CONNECTED || c.state() == IceConnectionState.COMPLETED) {
                    startDtls(now);
                }
            }
            case IceEvent.SelectedPairChanged p -> {
                if (dtlsRole == DtlsRole.CLIENT) {
                    startDtls(now);
                }
                dtlsBinding.bind(p.pair().remote().transportAddress());   // the pair both ends agreed on
                if (sctp.channels() != null) {
                    sctp.setMaxMtu(now, sctpMaxMtu());
                }
            }
            default -> { }
        }
        events.add(new PeerEvent.Ice(e));
    }

    private void onDtlsEvent(Instant now, DtlsEvent e) {
        events.add(new PeerEvent.Dtls(e));
        if (trace != null) {
            trace.mark("dtls-" + e.getClass().getSimpleName(), now);
        }
        switch (e) {
            case DtlsEvent.Connected c -> {
                CandidatePair pair = ice.sendingPair();
                if (pair != null && media.start(now, c, dtlsRole == DtlsRole.CLIENT,
                        pair.local().transportAddress(), pair.remote().transportAddress())) {
                    events.add(new PeerEvent.MediaStarted());
                }
                if (sctp.channels() != null) {
                    sctp.setMaxMtu(now, sctpMaxMtu());  // started early (False Start): the path's size now
                }
                startSctp(now);
                // Records that came with the handshake's last flight waited for Connected.
                for (ByteBuffer record; (record = dtls.pollData()) != null; ) {
                    sctp.receive(now, record);
                }
            }
            case DtlsEvent.Closed c -> sctp.abort("DTLS closed");
            case DtlsEvent.Failed f -> { }
        }
    }

    private void startDtls(Instant now) {
        if (dtls != null && dtls.state() == DtlsState.NEW) {
            CandidatePair sending = ice.sendingPair();
            if (dtlsRole == DtlsRole.CLIENT && sending != null) {
                dtlsBinding.bind(sending.remote().transportAddress());   // where the ClientHello goes
            }
            dtls.start(now);
            events.add(new PeerEvent.DtlsStarted());
            if (trace != null) {
                trace.mark("dtls-start", now);
            }
        }
    }

    private void startSctp(Instant now) {
        if (sctp.channels() == null) {
            sctp.start(now, dtlsRole == DtlsRole.CLIENT, remote, sctpMaxMtu());
        }
    }

    /** Where SCTP's path MTU discovery stops on the selected pair (see {@link SctpOverDtls#maxMtu}). */
    private int sctpMaxMtu() {
        return sctp.maxMtu(ice.selectedPair(), dtls, remote, locals);
    }

    // =================================================================================== the way down

    /**
     * SCTP packets into DTLS records, DTLS records into ICE datagrams; {@link #pollTransmit} hands them out.
     * Media joins beside DTLS: the RTP session's packets, protected by SRTP, go to ICE as they are.
     */
    private void flushOut(Instant now) {
        sctp.sendInto(now, dtls);
        // DTLS waits in its queue until ICE has a valid pair (selected, or before that the best valid one, RFC
        // 8445 section 12.1): sent earlier, a flight would be lost and cost a retransmission timeout. The
        // client starts as soon as there is one, without waiting for the nomination.
        if (dtls != null && ice.sendingPair() != null) {
            if (dtlsRole == DtlsRole.CLIENT) {
                startDtls(now);
            }
            // Taken through one buffer, from DTLS's reused ones: ICE's copy is the only one made per datagram.
            while (dtls.pollTransmit(dtlsOut.clear())) {
                ice.send(now, dtlsOut.flip());
            }
        }
        // Media stays in the RTP session's queue: the driver takes it with pollDatagram, straight into its
        // socket buffer; generic pumps with pollTransmit.
    }

    /**
     * The next datagram for a generic pump (the simulated network) to send from {@link Transmit#source()}, or
     * {@code null}: ICE's (checks, DTLS, relayed data), then the media, each copied once into a buffer of its
     * own. The socket driver takes media with {@link #pollDatagram} first, which copies nothing.
     */
    @Override
    public Transmit pollTransmit() {
        if (ice == null) {
            return null;
        }
        Transmit t = ice.pollTransmit();
        if (t == null) {
            media.flush(lastNow, ice);
            t = ice.pollTransmit();
        }
        if (trace != null && t != null) {
            trace.datagram("out", t.payload(), Instant.now());     // when it leaves, not when the turn began
        }
        return t;
    }

    /**
     * The next media datagram (SRTP or SRTCP), written into {@code into} between its position 0 and its limit,
     * and the path to send it on from the driver's socket; null when there is none. A datagram that cannot go
     * straight from a socket (a relayed pair) goes to ICE instead, to come out of {@link #pollTransmit}: the
     * driver calls this first, then that.
     */
    public DirectPath pollDatagram(ByteBuffer into) {
        return ice == null ? null : media.poll(lastNow, ice, into);
    }

    @Override
    public PeerEvent pollEvent() {
        return events.poll();
    }

    /** Whether {@link #pollEvent} has an event to give. */
    public boolean hasEvents() {
        return !events.isEmpty();
    }

    /**
     * Whether the transport is being set up: DTLS connecting, or the data channels' association not yet established
     * over it. Only then may a driver send ahead of the API's events; afterwards an ICE restart's TURN releases must
     * follow the selection the API is told of first.
     */
    public boolean settingUp() {
        if (closed || dtls == null) {
            return false;
        }
        return dtls.state() == DtlsState.CONNECTING || dtls.state() == DtlsState.CONNECTED && sctp.channels() != null
                && sctp.channels().association().state() != SctpState.ESTABLISHED;
    }

    @Override
    public Instant pollTimeout() {
        if (closed || ice == null) {
            return null;
        }
        Instant t = earliest(ice.pollTimeout(), dtls == null ? null : dtls.pollTimeout());
        return earliest(earliest(t, sctp.pollTimeout()), media.pollTimeout());
    }

    private static Instant earliest(Instant t, Instant c) {
        return t == null ? c : c == null || t.isBefore(c) ? t : c;
    }

    // =================================================================================== close and counters

    /**
     * Closes every layer (SCTP ABORT, DTLS close_notify, TURN allocations released): what they send goes out
     * through {@link #pollTransmit} once more; nothing comes out after that.
     */
    public void close(Instant now) {
        if (closed) {
            return;
        }
        if (trace != null) {
            trace.print("close");
        }
        sctp.abort("the connection was closed");
        media.close(now);
        if (ice != null) {
            flushOut(now);
            media.flush(now, ice);  // the goodbyes, before ICE closes
        }
        if (dtls != null) {
            dtls.close();
            flushOut(now);
        }
        if (ice != null) {
            ice.close(now);
        }
        closed = true;
        events.clear();
    }

    /** Datagrams that ICE let through but no layer takes: RTP and RTCP before SRTP is keyed, unknown first bytes. */
    public long unclaimed() {
        return unclaimed;
    }

    /** DTLS datagrams from an address other than the association's peer, dropped (see {@link DtlsBinding}). */
    public long foreignDtls() {
        return dtlsBinding.foreign();
    }

    /** For the log line at close: SCTP's counters, DTLS's drops, what no layer took. */
    public String describe() {
        return sctp.describe()
                + ", DTLS dropped " + (dtls == null ? 0 : dtls.droppedCount()) + " (" + dtlsBinding.foreign()
                + " from other addresses), " + media.describe()
                + ", unclaimed " + unclaimed;
    }
}
