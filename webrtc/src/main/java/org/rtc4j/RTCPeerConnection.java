package org.rtc4j;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.dtls.DtlsConnection;
import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.dtls.DtlsFingerprint;
import org.rtc4j.dtls.DtlsRole;
import org.rtc4j.dtls.DtlsSettings;
import org.rtc4j.dtls.DtlsState;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.ice.IceRole;
import org.rtc4j.ice.IceServer;
import org.rtc4j.ice.IceUdpRunner;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.internal.PathMtu;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.sctp.datachannel.DataChannel;
import org.rtc4j.sctp.datachannel.DataChannelEvent;
import org.rtc4j.sctp.datachannel.DataChannels;
import org.rtc4j.sdp.DataChannelParameters;
import org.rtc4j.sdp.Fingerprint;
import org.rtc4j.sdp.JsepBuilder;
import org.rtc4j.sdp.SdpParseException;
import org.rtc4j.sdp.SessionDescription;
import org.rtc4j.sdp.Setup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebRTC connection (W3C section 4.4) with data channels: JSEP offer/answer, ICE, DTLS 1.2 and SCTP.
 *
 * <p><b>Threads.</b> Each connection runs on one loop, a thread of a small shared group of NIO threads: all of
 * its protocol work and all of its callbacks run there, one at a time. Callbacks must not block (no
 * {@code join()} inside a handler). Methods may be called from any thread; asynchronous ones return a
 * {@link CompletableFuture} (the JavaScript promise). Events that happen before a handler is set are queued
 * and delivered when it is set, so none is lost. Synchronous methods that read or change a connection's state
 * ({@code RTCDataChannel.send}, {@code bufferedAmount}, {@code localDescription}, ...) run on its loop and
 * wait for it when called from elsewhere: from a callback of a connection on another loop, hand such calls to
 * an executor rather than have two loops wait for each other.
 *
 * <p><b>End of candidates.</b> The specification's null candidate reaches {@link #onIceCandidate} as an
 * {@link RTCIceCandidate} whose {@link RTCIceCandidate#isEndOfCandidates()} is true (an empty candidate line);
 * pass it to the peer's {@link #addIceCandidate} like any other.
 *
 * <p>{@link #close()} releases the sockets and timers of the connection at once.
 */
public final class RTCPeerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RTCPeerConnection.class);
    private static final int READ_BATCH = 64;
    private static final int MAX_EARLY_DTLS = 16;

    private final IoLoop loop;
    private final RTCSettings settings;
    private volatile RTCConfiguration configuration;
    private final RTCCertificate certificate;
    private final long sessionId;
    private long sessionVersion = 1;

    // ------------------------------------------------------------------ signaling (loop-confined)
    private volatile RTCSignalingState signalingState = RTCSignalingState.STABLE;
    private volatile RTCIceGatheringState iceGatheringState = RTCIceGatheringState.NEW;
    private volatile RTCIceConnectionState iceConnectionState = RTCIceConnectionState.NEW;
    private volatile RTCPeerConnectionState connectionState = RTCPeerConnectionState.NEW;
    private volatile boolean closed;
    private Local currentLocal;
    private Local pendingLocal;
    private Remote currentRemote;
    private Remote pendingRemote;
    private String lastOffer;
    private String lastAnswer;
    private boolean restartPending;
    private boolean negotiationNeeded;
    private boolean dataNegotiated;
    private String mid = "0";
    private final List<String> localCandidates = new ArrayList<>();
    private boolean localEnd;

    // ------------------------------------------------------------------ transports (loop-confined)
    private IceAgent agent;
    private final Map<TransportAddress, DatagramChannel> sockets = new LinkedHashMap<>();
    /** The largest UDP payload (IPv4): what we receive, and say so in {@code a=x-rtc4j-max-datagram}. */
    private static final int MAX_UDP_PAYLOAD = 65_507;
    /**
     * The largest DTLS datagram sent to a peer that does not say what it takes: Chromium 156 fails the whole
     * connection on a larger one (measured: a 2,037-byte datagram passes, 4,133 bytes breaks it; libwebrtc
     * buffers DTLS packets in 2,048 bytes) instead of dropping the probe as RFC 8899 expects.
     */
    private static final int UNANNOUNCED_MAX_DATAGRAM = 2048;
    /** The peer's {@code a=x-rtc4j-max-datagram}, 0 when it did not say. */
    private int remoteMaxDatagram;
    /** The MTU of each bound address's interface, read once when binding (SCTP's MAX_PLPMTU comes from it). */
    private final Map<InetAddress, Integer> interfaceMtus = new HashMap<>();
    private final List<SelectionKey> keys = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(65536);
    private DtlsConnection dtls;
    private DtlsRole dtlsRole;
    private List<DtlsFingerprint> remoteFingerprints;
    private int remoteSctpPort = 5000;
    private long remoteMaxMessageSize = DataChannels.DEFAULT_MAX_MESSAGE_SIZE;
    private DataChannels channels;
    private final byte[] sctpOut;
    private final ByteBuffer sctpOutBuffer;
    private final List<RTCDataChannel> pendingChannels = new ArrayList<>();
    /** DTLS records that came before the answer said who is who (the peer's ClientHello), kept a little. */
    private final java.util.ArrayDeque<byte[]> earlyDtls = new java.util.ArrayDeque<>();
    private final Map<DataChannel, RTCDataChannel> channelMap = new IdentityHashMap<>();
    private boolean pumping;
    private boolean pumpAgain;
    private boolean pumpQueued;
    private long deadline = Long.MAX_VALUE;
    private final IoLoop.Timed timer;
    private String dtlsCipher;
    private long packetsSent;
    private long packetsReceived;
    private long bytesSent;
    private long bytesReceived;
    private long dataChannelsOpened;
    private long dataChannelsClosed;
    private long sendErrors;

    private final RTCIceTransport iceTransport;
    private final RTCDtlsTransport dtlsTransport;
    private volatile RTCSctpTransport sctp;

    private final EventSlot<RTCSignalingState> onSignalingStateChange;
    private final EventSlot<RTCIceGatheringState> onIceGatheringStateChange;
    private final EventSlot<RTCIceConnectionState> onIceConnectionStateChange;
    private final EventSlot<RTCPeerConnectionState> onConnectionStateChange;
    private final EventSlot<RTCIceCandidate> onIceCandidate;
    private final EventSlot<RTCPeerConnectionIceErrorEvent> onIceCandidateError;
    private final EventSlot<Object> onNegotiationNeeded;
    private final EventSlot<RTCDataChannel> onDataChannel;

    /** What a local description was made from; its SDP is written again with the candidates known so far. */
    private record Local(RTCSdpType type, SessionDescription remoteOffer, Setup setup, long version, String ufrag,
                         String pwd) {
    }

    /** A remote description with what it says about the data-channel transport. */
    private record Remote(RTCSessionDescription description, DataChannelParameters parameters) {
    }

    public RTCPeerConnection() {
        this(RTCConfiguration.defaults());
    }

    public RTCPeerConnection(RTCConfiguration configuration) {
        this(configuration, RTCSettings.defaults());
    }

    /**
     * @throws InvalidAccessError when a given certificate has expired
     */
    public RTCPeerConnection(RTCConfiguration configuration, RTCSettings settings) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sctpOut = new byte[settings.sctpMaxPacketSize()];
        this.sctpOutBuffer = ByteBuffer.wrap(sctpOut);
        for (RTCCertificate c : configuration.certificates()) {
            if (c.isExpired(Instant.now())) {
                throw new InvalidAccessError("the certificate expired at " + Instant.ofEpochMilli(c.expires())
                        + ": generate a new one with RTCPeerConnection.generateCertificate()");
            }
        }
        for (RTCIceServer s : configuration.iceServers()) {
            toIceServer(s); // SyntaxError / InvalidAccessError now, not later
        }
        this.certificate = configuration.certificates().isEmpty()
                ? RTCCertificate.of(DtlsCertificate.generate()) : configuration.certificates().get(0);
        this.sessionId = JsepBuilder.newSessionId(new java.security.SecureRandom());
        this.loop = IoLoop.assign(settings.ioThreads());
        this.iceTransport = new RTCIceTransport(this, loop);
        this.dtlsTransport = new RTCDtlsTransport(iceTransport, loop);
        onSignalingStateChange = new EventSlot<>("signalingstatechange", loop);
        onIceGatheringStateChange = new EventSlot<>("icegatheringstatechange", loop);
        onIceConnectionStateChange = new EventSlot<>("iceconnectionstatechange", loop);
        onConnectionStateChange = new EventSlot<>("connectionstatechange", loop);
        onIceCandidate = new EventSlot<>("icecandidate", loop);
        onIceCandidateError = new EventSlot<>("icecandidateerror", loop);
        onNegotiationNeeded = new EventSlot<>("negotiationneeded", loop);
        onDataChannel = new EventSlot<>("datachannel", loop);
        this.timer = new IoLoop.Timed() {
            @Override
            public long deadline() {
                return deadline;
            }

            @Override
            public void onTimer() {
                guarded(RTCPeerConnection.this::timeout);
            }
        };
        // The sockets are bound now, not when the first description is made: enumerating interfaces and
        // binding take milliseconds that would otherwise delay the offer or answer.
        try {
            loop.call(() -> {
                loop.addTimed(timer);
                bindAll();
                return null;
            });
        } catch (OperationError e) {
            loop.call(() -> {
                closeNow();
                return null;
            });
            throw e;
        }
    }

    /** A new ECDSA P-256 certificate (W3C section 4.10.1), valid for 30 days. */
    public static CompletableFuture<RTCCertificate> generateCertificate() {
        return CompletableFuture.supplyAsync(() -> RTCCertificate.of(DtlsCertificate.generate()));
    }

    // =================================================================================== configuration

    public RTCConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * Changes the configuration (W3C section 4.4.1.6). ICE servers and the transport policy apply when the
     * ICE agent is made (at the first createOffer or remote offer); changed later, they are kept but the
     * running agent goes on with the ones it started with (its servers are fixed). Certificates cannot change.
     *
     * @throws InvalidModificationError when the certificates differ
     */
    public void setConfiguration(RTCConfiguration value) {
        Objects.requireNonNull(value, "configuration");
        if (closed) {
            throw new InvalidStateError("the connection is closed");
        }
        if (!value.certificates().isEmpty() && !value.certificates().equals(configuration.certificates())) {
            throw new InvalidModificationError("certificates cannot change after the connection was made");
        }
        for (RTCIceServer s : value.iceServers()) {
            toIceServer(s);
        }
        configuration = new RTCConfiguration(value.iceServers(), value.iceTransportPolicy(), value.bundlePolicy(),
                configuration.certificates(), value.iceCandidatePoolSize());
    }

    private static IceServer toIceServer(RTCIceServer s) {
        try {
            return s.username() == null ? IceServer.stun(s.urls().toArray(String[]::new))
                    : IceServer.of(s.username(), s.credential(), s.urls().toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new SyntaxError("bad ICE server " + s.urls() + ": " + e.getMessage(), e);
        }
    }

    // =================================================================================== offer / answer

    public CompletableFuture<RTCSessionDescription> createOffer() {
        return createOffer(new RTCOfferOptions(false));
    }

    /** Creates an offer (W3C section 4.4.1.5, JSEP section 5.2). */
    public CompletableFuture<RTCSessionDescription> createOffer(RTCOfferOptions options) {
        return async(() -> {
            checkOpen();
            if (signalingState != RTCSignalingState.STABLE && signalingState != RTCSignalingState.HAVE_LOCAL_OFFER) {
                throw new InvalidStateError("createOffer in signaling state " + signalingState.value()
                        + ": apply the peer's answer first, or roll back");
            }
            ensureAgent(IceRole.CONTROLLING);
            if ((options.iceRestart() || restartPending) && currentRemote != null) {
                agent.restart(IoLoop.now());
                localCandidates.clear();
                localEnd = false;
                restartPending = false;
                pumpSoon();
            }
            Local l = new Local(RTCSdpType.OFFER, null, dtlsRole == null ? Setup.ACTPASS
                    : dtlsRole == DtlsRole.CLIENT ? Setup.ACTIVE : Setup.PASSIVE, ++sessionVersion,
                    agent.localCredentials().ufrag(), agent.localCredentials().password());
            lastOffer = render(l).sdp();
            return new RTCSessionDescription(RTCSdpType.OFFER, lastOffer);
        });
    }

    /** Creates an answer to the remote offer (W3C section 4.4.1.5, JSEP section 5.3). */
    public CompletableFuture<RTCSessionDescription> createAnswer() {
        return async(() -> {
            checkOpen();
            if (signalingState != RTCSignalingState.HAVE_REMOTE_OFFER
                    && signalingState != RTCSignalingState.HAVE_LOCAL_PRANSWER) {
                throw new InvalidStateError("createAnswer in signaling state " + signalingState.value()
                        + ": set the peer's offer with setRemoteDescription first");
            }
            lastAnswer = render(answerTemplate(RTCSdpType.ANSWER)).sdp();
            return new RTCSessionDescription(RTCSdpType.ANSWER, lastAnswer);
        });
    }

    private Local answerTemplate(RTCSdpType type) {
        Setup setup = dtlsRole == null ? null : dtlsRole == DtlsRole.CLIENT ? Setup.ACTIVE : Setup.PASSIVE;
        SessionDescription offer;
        try {
            offer = SessionDescription.parse(pendingRemote.description().sdp());
        } catch (SdpParseException e) {
            throw new OperationError("the remote offer no longer parses: " + e.getMessage(), e);
        }
        return new Local(type, offer, setup, ++sessionVersion, agent.localCredentials().ufrag(),
                agent.localCredentials().password());
    }

    /** Sets the local description made by {@link #createOffer} or {@link #createAnswer}, or a rollback. */
    public CompletableFuture<Void> setLocalDescription(RTCSessionDescription description) {
        Objects.requireNonNull(description, "description");
        return async(() -> {
            checkOpen();
            applyLocal(description);
            return null;
        });
    }

    /**
     * The implicit form (W3C section 4.4.1.6): an offer in the stable and have-local-offer states, else an
     * answer, made and set in one step.
     */
    public CompletableFuture<Void> setLocalDescription() {
        return async(() -> {
            checkOpen();
            if (signalingState == RTCSignalingState.STABLE || signalingState == RTCSignalingState.HAVE_LOCAL_OFFER
                    || signalingState == RTCSignalingState.HAVE_REMOTE_PRANSWER) {
                return null;
            }
            return Boolean.TRUE;
        }).thenCompose(answer -> answer == null
                ? createOffer().thenCompose(this::setLocalDescription)
                : createAnswer().thenCompose(this::setLocalDescription));
    }

    private void applyLocal(RTCSessionDescription d) {
        LOG.debug("local {}", d.type());
        switch (d.type()) {
            case ROLLBACK -> {
                if (signalingState != RTCSignalingState.HAVE_LOCAL_OFFER) {
                    throw new InvalidStateError("nothing to roll back in signaling state " + signalingState.value());
                }
                pendingLocal = null;
                setSignalingState(RTCSignalingState.STABLE);
            }
            case OFFER -> {
                if (signalingState != RTCSignalingState.STABLE && signalingState != RTCSignalingState.HAVE_LOCAL_OFFER) {
                    throw new InvalidStateError("cannot set a local offer in signaling state " + signalingState.value());
                }
                if (lastOffer == null || (!d.sdp().isEmpty() && !d.sdp().equals(lastOffer))) {
                    throw new InvalidModificationError("set the offer createOffer made, unchanged (SDP munging is not supported)");
                }
                pendingLocal = templateOf(lastOffer, RTCSdpType.OFFER);
                setSignalingState(RTCSignalingState.HAVE_LOCAL_OFFER);
                startGathering();
            }
            case ANSWER, PRANSWER -> {
                if (signalingState != RTCSignalingState.HAVE_REMOTE_OFFER
                        && signalingState != RTCSignalingState.HAVE_LOCAL_PRANSWER) {
                    throw new InvalidStateError("cannot set a local " + d.type().value() + " in signaling state "
                            + signalingState.value() + ": set the peer's offer first");
                }
                if (lastAnswer == null || (!d.sdp().isEmpty() && !d.sdp().equals(lastAnswer))) {
                    throw new InvalidModificationError("set the answer createAnswer made, unchanged (SDP munging is not supported)");
                }
                Local l = templateOf(lastAnswer, d.type());
                if (d.type() == RTCSdpType.PRANSWER) {
                    pendingLocal = l;
                    setSignalingState(RTCSignalingState.HAVE_LOCAL_PRANSWER);
                } else {
                    currentLocal = l;
                    currentRemote = pendingRemote;
                    pendingLocal = null;
                    pendingRemote = null;
                    DataChannelParameters remote = currentRemote.parameters();
                    // RFC 8842 section 5.3: we answered; our a=setup names our role.
                    Setup ours = l.setup() != null ? l.setup() : remote.setup().orElse(Setup.ACTIVE).answer();
                    startTransport(Setup.localRole(ours, false).orElseThrow() == org.rtc4j.sdp.DtlsRole.CLIENT
                            ? DtlsRole.CLIENT : DtlsRole.SERVER, remote);
                    setSignalingState(RTCSignalingState.STABLE);
                    afterStable();
                }
                startGathering();
            }
        }
    }

    /** The template of a description this connection wrote (the last createOffer/createAnswer). */
    private Local templateOf(String sdp, RTCSdpType type) {
        try {
            SessionDescription sd = SessionDescription.parse(sdp);
            DataChannelParameters p = DataChannelParameters.read(sd);
            mid = p.mid();
            SessionDescription offer = type == RTCSdpType.OFFER ? null
                    : SessionDescription.parse(pendingRemote.description().sdp());
            Setup setup = p.setup().orElse(null);
            return new Local(type, offer, type == RTCSdpType.OFFER ? setup : setup, Long.parseLong(sd.origin().sessionVersion()),
                    p.iceUfrag(), p.icePwd());
        } catch (SdpParseException e) {
            throw new OperationError("cannot read back the local description: " + e.getMessage(), e);
        }
    }

    /** Applies the peer's offer, answer or a rollback (W3C section 4.4.1.6). */
    public CompletableFuture<Void> setRemoteDescription(RTCSessionDescription description) {
        Objects.requireNonNull(description, "description");
        return async(() -> {
            checkOpen();
            applyRemote(description);
            return null;
        });
    }

    private void applyRemote(RTCSessionDescription d) {
        LOG.debug("remote {}", d.type());
        if (d.type() == RTCSdpType.ROLLBACK) {
            if (signalingState != RTCSignalingState.HAVE_REMOTE_OFFER) {
                throw new InvalidStateError("nothing to roll back in signaling state " + signalingState.value());
            }
            pendingRemote = null;
            setSignalingState(RTCSignalingState.STABLE);
            return;
        }
        DataChannelParameters p;
        try {
            p = DataChannelParameters.read(SessionDescription.parse(d.sdp()));
        } catch (SdpParseException e) {
            throw new SyntaxError("the remote description does not parse: " + e.getMessage(), e);
        }
        Remote remote = new Remote(d, p);
        switch (d.type()) {
            case OFFER -> {
                if (signalingState == RTCSignalingState.HAVE_LOCAL_OFFER) {
                    // W3C section 4.4.1.6 step 4.6.9: an offer in have-local-offer rolls ours back (glare).
                    pendingLocal = null;
                    setSignalingState(RTCSignalingState.STABLE);
                }
                if (signalingState != RTCSignalingState.STABLE && signalingState != RTCSignalingState.HAVE_REMOTE_OFFER) {
                    throw new InvalidStateError("cannot set a remote offer in signaling state " + signalingState.value());
                }
                ensureAgent(IceRole.CONTROLLED);
                applyIce(p);
                pendingRemote = remote;
                setSignalingState(RTCSignalingState.HAVE_REMOTE_OFFER);
            }
            case ANSWER, PRANSWER -> {
                if (signalingState != RTCSignalingState.HAVE_LOCAL_OFFER
                        && signalingState != RTCSignalingState.HAVE_REMOTE_PRANSWER) {
                    throw new InvalidStateError("cannot set a remote " + d.type().value() + " in signaling state "
                            + signalingState.value() + ": create and set an offer first");
                }
                Setup theirs = p.setup().orElse(Setup.PASSIVE); // RFC 4145 section 4: absent in an answer
                java.util.Optional<org.rtc4j.sdp.DtlsRole> role = Setup.localRole(theirs, true);
                if (role.isEmpty()) {
                    throw new InvalidAccessError("the answer's a=setup:" + theirs.sdpValue()
                            + " is not active or passive (RFC 8842 section 5.3)");
                }
                applyIce(p);
                if (d.type() == RTCSdpType.PRANSWER) {
                    pendingRemote = remote;
                    setSignalingState(RTCSignalingState.HAVE_REMOTE_PRANSWER);
                } else {
                    currentRemote = remote;
                    currentLocal = pendingLocal;
                    pendingLocal = null;
                    pendingRemote = null;
                    startTransport(role.get() == org.rtc4j.sdp.DtlsRole.CLIENT ? DtlsRole.CLIENT : DtlsRole.SERVER, p);
                    setSignalingState(RTCSignalingState.STABLE);
                    afterStable();
                }
            }
            default -> throw new TypeError("unknown description type " + d.type());
        }
        pumpSoon();
    }

    private void applyIce(DataChannelParameters p) {
        try {
            agent.setRemoteCredentials(p.iceUfrag(), p.icePwd());
        } catch (IllegalArgumentException e) {
            throw new InvalidAccessError("the remote ICE credentials are invalid: " + e.getMessage(), e);
        }
        agent.setRemoteLite(p.iceLite());
        for (String c : p.candidates()) {
            try {
                agent.addRemoteCandidate(IceCandidate.parse("candidate:" + c));
            } catch (IllegalArgumentException e) {
                LOG.debug("ignoring a remote candidate: {}", e.getMessage());
            }
        }
        if (p.endOfCandidates()) {
            agent.endOfRemoteCandidates();
        }
        remoteSctpPort = p.sctpPort();
        remoteMaxMessageSize = p.maxMessageSize() == Long.MAX_VALUE ? 0 : p.maxMessageSize();
        remoteMaxDatagram = p.maxDatagram();
        if (remoteFingerprints == null) {
            remoteFingerprints = p.fingerprints().stream().map(f -> new DtlsFingerprint(f.hashFunction(), f.digest()))
                    .toList();
        }
    }

    private void afterStable() {
        dataNegotiated = true;
        if (negotiationNeeded && !restartPending) {
            negotiationNeeded = false;
        }
        if (restartPending) {
            fireNegotiationNeeded();
        }
    }

    /**
     * Adds a remote candidate (trickle ICE, RFC 8838); the end-of-candidates indication
     * ({@link RTCIceCandidate#isEndOfCandidates()}) says no more will come.
     *
     * @return a future failed with InvalidStateError before a remote description, OperationError for a candidate
     *     of another ICE generation or media section
     */
    public CompletableFuture<Void> addIceCandidate(RTCIceCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        return async(() -> {
            checkOpen();
            Remote remote = pendingRemote != null ? pendingRemote : currentRemote;
            if (remote == null) {
                throw new InvalidStateError("addIceCandidate before setRemoteDescription: set the peer's description "
                        + "first, or queue its candidates until then");
            }
            String ufrag = candidate.usernameFragment();
            if (ufrag != null && !ufrag.equals(remote.parameters().iceUfrag())) {
                throw new OperationError("the candidate belongs to ICE generation '" + ufrag + "', not the current '"
                        + remote.parameters().iceUfrag() + "'");
            }
            if (candidate.sdpMid() != null && !candidate.sdpMid().equals(remote.parameters().mid())) {
                throw new OperationError("no media section with mid '" + candidate.sdpMid() + "'");
            }
            if (candidate.isEndOfCandidates()) {
                agent.endOfRemoteCandidates();
            } else {
                agent.addRemoteCandidate(candidate.iceCandidate());
            }
            pumpSoon();
            return null;
        });
    }

    /** Asks for an ICE restart: the next offer has new credentials (W3C section 4.4.1.6, restartIce). */
    public void restartIce() {
        loop.execute(() -> {
            if (closed) {
                return;
            }
            restartPending = true;
            fireNegotiationNeeded();
        });
    }

    private void fireNegotiationNeeded() {
        loop.execute(() -> {
            if (!closed && signalingState == RTCSignalingState.STABLE) {
                onNegotiationNeeded.fire(Boolean.TRUE);
            }
        });
    }

    // =================================================================================== descriptions

    public RTCSessionDescription localDescription() {
        return call(() -> pendingLocal != null ? render(pendingLocal) : currentLocal != null ? render(currentLocal) : null);
    }

    public RTCSessionDescription currentLocalDescription() {
        return call(() -> currentLocal == null ? null : render(currentLocal));
    }

    public RTCSessionDescription pendingLocalDescription() {
        return call(() -> pendingLocal == null ? null : render(pendingLocal));
    }

    public RTCSessionDescription remoteDescription() {
        return call(() -> pendingRemote != null ? pendingRemote.description()
                : currentRemote != null ? currentRemote.description() : null);
    }

    public RTCSessionDescription currentRemoteDescription() {
        return call(() -> currentRemote == null ? null : currentRemote.description());
    }

    public RTCSessionDescription pendingRemoteDescription() {
        return call(() -> pendingRemote == null ? null : pendingRemote.description());
    }

    /** Whether the peer accepts trickled candidates ({@code null} before a remote description). */
    public Boolean canTrickleIceCandidates() {
        return call(() -> {
            Remote r = pendingRemote != null ? pendingRemote : currentRemote;
            return r == null ? null : r.parameters().trickle();
        });
    }

    private RTCSessionDescription render(Local l) {
        JsepBuilder b = l.type() == RTCSdpType.OFFER ? JsepBuilder.offer().mid(mid) : JsepBuilder.answer(l.remoteOffer());
        b.sessionId(sessionId).sessionVersion(l.version()).iceCredentials(l.ufrag(), l.pwd())
                .maxMessageSize(settings.maxMessageSize()).maxDatagram(MAX_UDP_PAYLOAD);
        var f = certificate.dtlsCertificate().fingerprint();
        b.fingerprint(new Fingerprint(f.algorithm(), f.value()));
        if (l.setup() != null) {
            b.setup(l.setup());
        }
        boolean current = agent != null && agent.localCredentials().ufrag().equals(l.ufrag());
        if (current) {
            for (String c : localCandidates) {
                b.candidate(c);
            }
            b.endOfCandidates(localEnd);
        }
        try {
            return new RTCSessionDescription(l.type(), b.build().toString());
        } catch (SdpParseException | IllegalStateException e) {
            throw new OperationError("cannot write the description: " + e.getMessage(), e);
        }
    }

    // =================================================================================== states

    public RTCSignalingState signalingState() {
        return signalingState;
    }

    public RTCIceGatheringState iceGatheringState() {
        return iceGatheringState;
    }

    public RTCIceConnectionState iceConnectionState() {
        return iceConnectionState;
    }

    public RTCPeerConnectionState connectionState() {
        return connectionState;
    }

    /** The SCTP transport, once a description with a data-channel section was applied; else {@code null}. */
    public RTCSctpTransport sctp() {
        return sctp;
    }

    private void setSignalingState(RTCSignalingState s) {
        if (signalingState != s) {
            signalingState = s;
            onSignalingStateChange.fire(s);
        }
    }

    // =================================================================================== events

    public void onSignalingStateChange(Consumer<RTCSignalingState> handler) {
        onSignalingStateChange.set(handler);
    }

    public void onIceGatheringStateChange(Consumer<RTCIceGatheringState> handler) {
        onIceGatheringStateChange.set(handler);
    }

    public void onIceConnectionStateChange(Consumer<RTCIceConnectionState> handler) {
        onIceConnectionStateChange.set(handler);
    }

    public void onConnectionStateChange(Consumer<RTCPeerConnectionState> handler) {
        onConnectionStateChange.set(handler);
    }

    /** Local candidates as they are gathered; the last one is the end-of-candidates indication. */
    public void onIceCandidate(Consumer<RTCIceCandidate> handler) {
        onIceCandidate.set(handler);
    }

    public void onIceCandidateError(Consumer<RTCPeerConnectionIceErrorEvent> handler) {
        onIceCandidateError.set(handler);
    }

    public void onNegotiationNeeded(Runnable handler) {
        onNegotiationNeeded.set(handler == null ? null : e -> handler.run());
    }

    /** A channel the peer opened; it is open already (its open event follows). */
    public void onDataChannel(Consumer<RTCDataChannel> handler) {
        onDataChannel.set(handler);
    }

    // =================================================================================== data channels

    public RTCDataChannel createDataChannel(String label) {
        return createDataChannel(label, RTCDataChannelInit.defaults());
    }

    /**
     * Creates a data channel (W3C section 6.1.1.1). It opens when the SCTP association is up (after the
     * offer/answer exchange); until then {@link RTCDataChannel#readyState()} is connecting.
     *
     * @throws TypeError for a label or protocol over 65,535 bytes, both maxPacketLifeTime and maxRetransmits,
     *     a negotiated channel without an id, or an id over 65,534
     * @throws InvalidStateError when the connection is closed
     * @throws OperationError when the id is in use
     */
    public RTCDataChannel createDataChannel(String label, RTCDataChannelInit init) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(init, "init");
        if (label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65535
                || init.protocol().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65535) {
            throw new TypeError("label and protocol are at most 65,535 bytes");
        }
        if (init.maxPacketLifeTime() != null && init.maxRetransmits() != null) {
            throw new TypeError("set maxPacketLifeTime or maxRetransmits, not both");
        }
        if ((init.maxPacketLifeTime() != null && init.maxPacketLifeTime() < 0)
                || (init.maxRetransmits() != null && init.maxRetransmits() < 0)) {
            throw new TypeError("maxPacketLifeTime and maxRetransmits must not be negative");
        }
        if (init.negotiated() && init.id() == null) {
            throw new TypeError("a negotiated channel needs an id");
        }
        if (init.id() != null && (init.id() < 0 || init.id() > 65534)) {
            throw new TypeError("id must be 0..65534, not " + init.id());
        }
        RTCDataChannelInit fixed = init;
        return call(() -> {
            checkOpen();
            RTCDataChannel ch = new RTCDataChannel(this, loop, label, fixed);
            if (channels != null) {
                bindChannel(ch);
            } else {
                if (fixed.negotiated()) {
                    for (RTCDataChannel p : pendingChannels) {
                        if (p.negotiated() && Objects.equals(p.id(), fixed.id())) {
                            throw new OperationError("id " + fixed.id() + " is in use");
                        }
                    }
                }
                pendingChannels.add(ch);
            }
            if (!dataNegotiated && !negotiationNeeded) {
                negotiationNeeded = true;
                fireNegotiationNeeded();
            }
            return ch;
        });
    }

    private void bindChannel(RTCDataChannel ch) {
        DataChannel under;
        try {
            under = channels.createDataChannel(ch.label(), ch.sctpOptions());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new OperationError(e.getMessage());
        }
        ch.bind(under);
        channelMap.put(under, ch);
        pumpSoon();
    }

    void forgetPending(RTCDataChannel ch) {
        pendingChannels.remove(ch);
    }

    long remoteMaxMessageSize() {
        return remoteMaxMessageSize;
    }

    // =================================================================================== close

    /**
     * Closes the connection (W3C section 4.4.1.7): the channels close without events, SCTP sends ABORT, DTLS
     * close_notify, and the sockets and timers are released before this returns.
     */
    @Override
    public void close() {
        call(() -> {
            closeNow();
            return null;
        });
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        signalingState = RTCSignalingState.CLOSED;
        Instant now = IoLoop.now();
        for (RTCDataChannel ch : List.copyOf(channelMap.values())) {
            ch.closedSilently();
        }
        for (RTCDataChannel ch : pendingChannels) {
            ch.closedSilently();
        }
        pendingChannels.clear();
        channelMap.clear();
        if (channels != null) {
            LOG.debug("closing: {}, udp packets sent {} received {} send errors {}, DTLS dropped {}",
                    channels.association().stats(), packetsSent, packetsReceived, sendErrors,
                    dtls == null ? 0 : dtls.droppedCount());
        }
        try {
            if (channels != null && channels.association().state() != SctpState.CLOSED) {
                channels.association().abort("the connection was closed");
            }
            flushOut(now);
            if (dtls != null) {
                dtls.close();
            }
            flushOut(now);
            if (agent != null) {
                agent.close(now);
                flushOut(now);
            }
        } catch (RuntimeException e) {
            LOG.debug("error while closing", e);
        }
        for (SelectionKey k : keys) {
            k.cancel();
        }
        for (DatagramChannel c : sockets.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sockets.clear();
        keys.clear();
        loop.removeTimed(timer);
        deadline = Long.MAX_VALUE;
        loop.release();
        iceConnectionState = RTCIceConnectionState.CLOSED;
        connectionState = RTCPeerConnectionState.CLOSED;
        iceTransport.state = RTCIceTransportState.CLOSED;
        dtlsTransport.state = RTCDtlsTransportState.CLOSED;
        RTCSctpTransport s = sctp;
        if (s != null) {
            s.state = RTCSctpTransportState.CLOSED;
        }
        for (EventSlot<?> slot : List.of(onSignalingStateChange, onIceGatheringStateChange, onIceConnectionStateChange,
                onConnectionStateChange, onIceCandidate, onIceCandidateError, onNegotiationNeeded, onDataChannel,
                iceTransport.onStateChange, iceTransport.onGatheringStateChange,
                iceTransport.onSelectedCandidatePairChange, dtlsTransport.onStateChange, dtlsTransport.onError)) {
            slot.clear();
        }
        channels = null;
        dtls = null;
    }

    private void checkOpen() {
        if (closed) {
            throw new InvalidStateError("the connection is closed");
        }
    }

    // =================================================================================== the driver

    private <T> CompletableFuture<T> async(Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            T value;
            try {
                value = action.get();
            } catch (Throwable e) {
                f.completeExceptionally(e);
                return;
            }
            f.complete(value);
        });
        return f;
    }

    private <T> T call(Supplier<T> action) {
        return loop.call(action);
    }

    /** Creates the ICE agent and binds its sockets (once, with the role of whoever starts). */
    private void ensureAgent(IceRole role) {
        if (agent != null) {
            return;
        }
        RTCConfiguration c = configuration;
        IceConfig config = IceConfig.builder()
                .role(role)
                .relayOnly(c.iceTransportPolicy() == RTCIceTransportPolicy.RELAY)
                .servers(c.iceServers().stream().map(RTCPeerConnection::toIceServer).toList())
                .disconnectedTimeout(settings.iceDisconnectedTimeout())
                .consentTimeout(settings.iceFailedTimeout())
                .consentInterval(settings.iceConsentInterval())
                .nominationDelay(settings.iceNominationDelay() != null ? settings.iceNominationDelay()
                        : c.iceServers().isEmpty() ? java.time.Duration.ZERO : java.time.Duration.ofMillis(200))
                .resolver(RTCPeerConnection::resolve)
                .build();
        IceAgent a = new IceAgent(config);
        for (TransportAddress address : sockets.keySet()) {
            a.addLocalAddress(address);
        }
        a.onData(this::iceData);
        agent = a;
        iceTransport.role = role == IceRole.CONTROLLING ? RTCIceRole.CONTROLLING : RTCIceRole.CONTROLLED;
        if (configuration.iceCandidatePoolSize() > 0) {
            a.prepare(IoLoop.now());
        }
    }

    private void bindAll() {
        try {
            bindSockets();
        } catch (IOException e) {
            for (DatagramChannel ch : sockets.values()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
            sockets.clear();
            throw new OperationError("cannot open UDP sockets: " + e.getMessage(), e);
        }
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (IOException e) {
            return null;
        }
    }

    private void bindSockets() throws IOException {
        List<InetAddress> addresses = IceUdpRunner.hostAddresses(settings.interfaceFilter(), settings.includeLoopback(),
                settings.ipv6());
        if (addresses.isEmpty()) {
            addresses = IceUdpRunner.hostAddresses(settings.interfaceFilter(), true, settings.ipv6());
        }
        if (addresses.isEmpty()) {
            throw new SocketException("no network interface is up");
        }
        for (InetAddress ip : addresses) {
            DatagramChannel ch = DatagramChannel.open(ip instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
            try {
                if (settings.socketReceiveBuffer() > 0) {
                    ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, settings.socketReceiveBuffer());
                }
                if (settings.socketSendBuffer() > 0) {
                    ch.setOption(java.net.StandardSocketOptions.SO_SNDBUF, settings.socketSendBuffer());
                }
                bindInRange(ch, ip);
                ch.configureBlocking(false);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            TransportAddress bound = TransportAddress.of(Transport.UDP, (InetSocketAddress) ch.getLocalAddress());
            sockets.put(bound, ch);
            interfaceMtus.put(ip, PathMtu.systemMtu(ip));
            keys.add(loop.register(ch, key -> guarded(() -> readable(ch, bound))));
        }
    }

    private void bindInRange(DatagramChannel ch, InetAddress ip) throws IOException {
        if (settings.portMin() == 0 && settings.portMax() == 0) {
            ch.bind(new InetSocketAddress(ip, 0));
            return;
        }
        int span = settings.portMax() - settings.portMin() + 1;
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
        IOException last = null;
        for (int i = 0; i < span; i++) {
            int port = settings.portMin() + (start + i) % span;
            try {
                ch.bind(new InetSocketAddress(ip, port));
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("no free UDP port in " + settings.portMin() + ".." + settings.portMax(), last);
    }

    private void startGathering() {
        if (agent != null && agent.gatheringState() == IceGatheringState.NEW) {
            agent.gather(IoLoop.now());
        }
        pumpSoon();
    }

    /** Both descriptions are set: DTLS with the role they gave, and the SCTP transport object. */
    private void startTransport(DtlsRole role, DataChannelParameters remote) {
        if (dtls != null) {
            return;
        }
        dtlsRole = role;
        DtlsSettings ds = DtlsSettings.defaults().withHandshakeTimeout(settings.dtlsHandshakeTimeout())
                .withInitialResendTimeout(settings.dtlsInitialResendTimeout());
        dtls = new DtlsConnection(role, certificate.dtlsCertificate(), ds);
        dtls.setRemoteFingerprints(remoteFingerprints);
        dtls.onWakeup(() -> loop.execute(this::pump));
        long max = remoteMaxMessageSize;
        long ours = settings.maxMessageSize();
        double limit = max == 0 ? ours == 0 ? Double.POSITIVE_INFINITY : ours : ours == 0 ? max : Math.min(max, ours);
        sctp = new RTCSctpTransport(dtlsTransport, loop, limit);
        if (role == DtlsRole.SERVER || agent.sendingPair() != null) {
            startDtls();
        }
        Instant now = IoLoop.now();
        for (byte[] early; (early = earlyDtls.poll()) != null; ) {
            dtlsInput(now, ByteBuffer.wrap(early));
        }
    }

    private void startDtls() {
        if (dtls != null && dtls.state() == DtlsState.NEW) {
            dtls.start(IoLoop.now());
            setDtlsState(RTCDtlsTransportState.CONNECTING);
        }
    }

    private void readable(DatagramChannel ch, TransportAddress bound) {
        if (closed) {
            return;
        }
        if (agent == null) {
            drainUnexpected(ch);
            return;
        }
        for (int i = 0; i < READ_BATCH; i++) {
            readBuffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) ch.receive(readBuffer);
            } catch (IOException e) {
                continue; // ICMP errors surface here on Linux
            }
            if (from == null) {
                break;
            }
            readBuffer.flip();
            packetsReceived++;
            bytesReceived += readBuffer.remaining();
            agent.handleInput(IoLoop.now(), TransportAddress.of(Transport.UDP, from), bound, readBuffer);
            // Each datagram goes all the way up before the next: SCTP then acknowledges as it should (every
            // second packet, RFC 9260 section 6.2) instead of once per batch, which would slow the sender's
            // congestion window growth (one MTU per SACK in slow start, section 7.2.1).
            pump();
            if (closed) {
                return;
            }
        }
    }

    /** Datagrams before ICE starts are from nobody we know (no candidate was signaled yet): dropped. */
    private void drainUnexpected(DatagramChannel ch) {
        for (int i = 0; i < READ_BATCH; i++) {
            readBuffer.clear();
            try {
                if (ch.receive(readBuffer) == null) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Application data from ICE: DTLS records (RFC 7983 leaves nothing else on a data-only connection). */
    private void iceData(CandidatePair pair, ByteBuffer data) {
        if (dtls == null) {
            // The peer answered and started its handshake before its answer reached us: keep its first
            // flight (bounded) rather than wait for its retransmission timer.
            if (earlyDtls.size() < MAX_EARLY_DTLS && data.remaining() <= 2048) {
                byte[] copy = new byte[data.remaining()];
                data.duplicate().get(copy);
                earlyDtls.add(copy);
            }
            return;
        }
        if (dtls.state() == DtlsState.NEW && dtlsRole == DtlsRole.SERVER) {
            startDtls();
        }
        dtlsInput(IoLoop.now(), data);
    }

    /** Records straight into SCTP, which copies what it keeps: no copy per record. */
    private void dtlsInput(Instant now, ByteBuffer datagram) {
        for (ByteBuffer p = dtls.receive(now, datagram); p != null; p = dtls.pollData()) {
            dtlsData(p);
        }
    }

    private void dtlsData(ByteBuffer plaintext) {
        if (channels != null && !closed) {
            channels.handlePacket(IoLoop.now(), plaintext);
            if (pumping) {
                pumpAgain = true; // reached from a poll inside pump(): its SACK must not wait for the next one
            }
        }
    }

    private void timeout() {
        if (closed || agent == null) {
            deadline = Long.MAX_VALUE;
            return;
        }
        Instant now = IoLoop.now();
        long n = IoLoop.toNanos(now);
        if (IoLoop.toNanos(agent.pollTimeout()) <= n) {
            agent.handleTimeout(now);
        }
        if (channels != null && IoLoop.toNanos(channels.pollTimeout()) <= n) {
            channels.handleTimeout(now);
        }
        pump();
    }

    /**
     * Runs what the loop calls again by itself (timers, readable sockets). An exception there is a bug of
     * ours, and left alone it would repeat at once, forever: the connection fails and closes instead.
     */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            LOG.error("internal error; the connection fails and closes", e);
            setDtlsState(RTCDtlsTransportState.FAILED);
            dtlsTransport.onError.fire(new OperationError("internal error: " + e));
            closeNow();
        }
    }

    /** Pumps on the loop after the current task (from API calls that queue output). */
    void pumpSoon() {
        if (loop.inLoop() && pumping) {
            pumpAgain = true;
            return;
        }
        if (!pumpQueued) {
            pumpQueued = true;
            loop.execute(() -> {
                pumpQueued = false;
                pump();
            });
        }
    }

    /** Moves everything that is ready between the engines, the sockets and the API, until nothing moves. */
    private void pump() {
        if (closed) {
            return;
        }
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                Instant now = IoLoop.now();
                if (agent != null) {
                    for (IceEvent e; (e = agent.pollEvent()) != null && !closed; ) {
                        onIceEvent(e);
                    }
                }
                if (dtls != null) {
                    for (DtlsEvent e; dtls != null && (e = dtls.pollEvent()) != null && !closed; ) {
                        onDtlsEvent(now, e);
                    }
                }
                if (channels != null) {
                    for (DataChannelEvent e; channels != null && (e = channels.pollEvent()) != null && !closed; ) {
                        onChannelEvent(e);
                    }
                    checkSctpState();
                }
                if (closed) {
                    return;
                }
                flushOut(now);
            } while (pumpAgain);
        } finally {
            pumping = false;
        }
        long d = Long.MAX_VALUE;
        if (agent != null) {
            d = IoLoop.toNanos(agent.pollTimeout());
        }
        if (channels != null) {
            d = Math.min(d, IoLoop.toNanos(channels.pollTimeout()));
        }
        deadline = d;
    }

    /** SCTP packets into DTLS, DTLS records into ICE, ICE datagrams onto the sockets. */
    private void flushOut(Instant now) {
        if (channels != null && dtls != null && dtls.state() == DtlsState.CONNECTED) {
            while (true) {
                sctpOutBuffer.clear();
                int n = channels.pollPacket(now, sctpOutBuffer);
                if (n <= 0) {
                    break;
                }
                dtls.send(sctpOut, 0, n);
            }
        }
        // DTLS waits in its queue until ICE has a valid pair (selected, or before that the best valid one, RFC
        // 8445 section 12.1): sent earlier, a flight would be lost and cost a retransmission timeout. The
        // client starts as soon as there is one, without waiting for the nomination.
        if (dtls != null && agent != null && agent.sendingPair() != null) {
            if (dtlsRole == DtlsRole.CLIENT) {
                startDtls();
            }
            for (ByteBuffer b; (b = dtls.pollTransmit()) != null; ) {
                agent.send(now, b);
            }
        }
        if (agent != null) {
            for (Transmit t; (t = agent.pollTransmit()) != null; ) {
                transmit(t);
            }
        }
    }

    private void transmit(Transmit t) {
        DatagramChannel ch = sockets.get(t.source());
        if (ch == null || t.destination().transport() != Transport.UDP) {
            sendErrors++;
            return;
        }
        try {
            int n = t.payload().remaining();
            if (ch.send(t.payload(), t.destination().socketAddress()) > 0) {
                packetsSent++;
                bytesSent += n;
            } else {
                sendErrors++; // a full socket buffer drops the datagram, as the network may
            }
        } catch (IOException e) {
            sendErrors++;
        }
    }

    private void onIceEvent(IceEvent e) {
        switch (e) {
            case IceEvent.LocalCandidate c -> {
                String line = c.candidate().toSdp();
                localCandidates.add(line);
                onIceCandidate.fire(RTCIceCandidate.of(c.candidate(), mid, agent.localCredentials().ufrag()));
            }
            case IceEvent.GatheringStateChanged g -> {
                RTCIceGatheringState s = switch (g.state()) {
                    case NEW -> RTCIceGatheringState.NEW;
                    case GATHERING -> RTCIceGatheringState.GATHERING;
                    case COMPLETE -> RTCIceGatheringState.COMPLETE;
                };
                // The description says a=end-of-candidates by the time the state says complete.
                localEnd = s == RTCIceGatheringState.COMPLETE;
                if (s != iceGatheringState) {
                    iceGatheringState = s;
                    iceTransport.gatheringState = RTCIceGathererState.of(s.value());
                    iceTransport.onGatheringStateChange.fire(iceTransport.gatheringState);
                    onIceGatheringStateChange.fire(s);
                }
                if (s == RTCIceGatheringState.COMPLETE) {
                    onIceCandidate.fire(RTCIceCandidate.endOfCandidates(mid, 0, agent.localCredentials().ufrag()));
                }
            }
            case IceEvent.ConnectionStateChanged c -> {
                RTCIceConnectionState s = RTCIceConnectionState.of(c.state().name().toLowerCase(java.util.Locale.ROOT));
                if ((c.state() == IceConnectionState.CONNECTED || c.state() == IceConnectionState.COMPLETED)
                        && dtls != null) {
                    startDtls();
                }
                if (s != iceConnectionState) {
                    LOG.debug("ICE {}", s);
                    iceConnectionState = s;
                    iceTransport.state = RTCIceTransportState.of(s.value());
                    iceTransport.onStateChange.fire(iceTransport.state);
                    onIceConnectionStateChange.fire(s);
                    updateConnectionState();
                }
            }
            case IceEvent.SelectedPairChanged p -> {
                if (dtls != null && dtlsRole == DtlsRole.CLIENT) {
                    startDtls();
                }
                if (channels != null) {
                    channels.setMaxMtu(IoLoop.now(), sctpMaxMtu());
                }
                RTCIceCandidatePair pair = toPair(p.pair());
                if (pair != null) {
                    iceTransport.onSelectedCandidatePairChange.fire(pair);
                }
            }
            case IceEvent.RoleChanged r ->
                    iceTransport.role = r.role() == IceRole.CONTROLLING ? RTCIceRole.CONTROLLING : RTCIceRole.CONTROLLED;
            case IceEvent.CandidateError c -> onIceCandidateError.fire(
                    new RTCPeerConnectionIceErrorEvent(c.address(), c.port(), c.url(), c.errorCode(), c.errorText()));
            case IceEvent.Data d -> iceData(d.pair(), d.data());
        }
    }

    private void onDtlsEvent(Instant now, DtlsEvent e) {
        switch (e) {
            case DtlsEvent.Connected c -> {
                dtlsCipher = c.cipherSuite();
                try {
                    dtlsTransport.remoteCertificates = List.of(c.peerCertificate().getEncoded());
                } catch (java.security.cert.CertificateEncodingException ex) {
                    dtlsTransport.remoteCertificates = List.of();
                }
                setDtlsState(RTCDtlsTransportState.CONNECTED);
                startSctp(now);
                for (ByteBuffer p; dtls != null && (p = dtls.pollData()) != null; ) {
                    dtlsData(p);
                }
            }
            case DtlsEvent.Closed c -> {
                if (channels != null) {
                    LOG.debug("DTLS closed by the peer: {}, udp packets sent {} received {} send errors {}",
                            channels.association().stats(), packetsSent, packetsReceived, sendErrors);
                }
                setDtlsState(RTCDtlsTransportState.CLOSED);
                if (channels != null && channels.association().state() != SctpState.CLOSED) {
                    channels.association().abort("DTLS closed");
                }
            }
            case DtlsEvent.Failed f -> {
                LOG.debug("DTLS failed: {}", f.reason());
                setDtlsState(RTCDtlsTransportState.FAILED);
                dtlsTransport.onError.fire(new OperationError("DTLS failed: " + f.reason()));
            }
        }
    }

    private void setDtlsState(RTCDtlsTransportState s) {
        if (dtlsTransport.state != s) {
            LOG.debug("DTLS {}", s);
            dtlsTransport.state = s;
            dtlsTransport.onStateChange.fire(s);
            updateConnectionState();
        }
    }

    private void startSctp(Instant now) {
        if (channels != null) {
            return;
        }
        SctpSettings ss = SctpSettings.defaults().withPorts(5000, remoteSctpPort)
                .withBuffers(settings.sctpReceiveWindow(), settings.sctpSendBuffer())
                // RTO.Min 400 ms rather than 200: a stalled peer (GC, a busy machine) otherwise triggers spurious
                // T3-rtx timeouts that collapse the congestion window (RFC 9260 section 6.3.3) though nothing
                // was lost. RFC 9260 itself says 1 s; browsers use less.
                .withRto(1000, 400, 60_000)
                .withMaxMtu(sctpMaxMtu())
                .withMaxMessageSize((int) Math.min(Integer.MAX_VALUE, settings.maxMessageSize()));
        channels = new DataChannels(ss, dtlsRole == DtlsRole.CLIENT, remoteMaxMessageSize);
        channels.connect(now);
        for (RTCDataChannel ch : pendingChannels) {
            try {
                bindChannel(ch);
            } catch (OperationError err) {
                ch.error(err);
                ch.closed();
            }
        }
        pendingChannels.clear();
    }

    /**
     * MAX_PLPMTU for SCTP's path MTU discovery (RFC 8899 section 5.1.2): the first hop's MTU on the selected
     * pair, less the IP, UDP, TURN and DTLS record overheads, at most the settings' cap. SCTP probes up to it.
     */
    private int sctpMaxMtu() {
        CandidatePair pair = agent == null ? null : agent.selectedPair();
        if (pair == null || dtls == null || dtls.state() != DtlsState.CONNECTED) {
            return RTCSettings.BASE_PACKET;
        }
        int udp = PathMtu.maxUdpPayload(pair, sockets.keySet(), ip -> interfaceMtus.getOrDefault(ip, -1));
        if (udp < 0) {
            return RTCSettings.BASE_PACKET;
        }
        int peer = remoteMaxDatagram > 0 ? remoteMaxDatagram : UNANNOUNCED_MAX_DATAGRAM;
        int record = dtls.maxApplicationData(Math.min(Math.min(udp, peer), MAX_UDP_PAYLOAD));
        return Math.max(RTCSettings.BASE_PACKET, Math.min(settings.sctpMaxPacketSize(), record));
    }

    private void checkSctpState() {
        RTCSctpTransport s = sctp;
        if (s == null || channels == null) {
            return;
        }
        SctpState st = channels.association().state();
        RTCSctpTransportState mapped = st == SctpState.ESTABLISHED || st == SctpState.SHUTDOWN_PENDING
                ? RTCSctpTransportState.CONNECTED
                : st == SctpState.CLOSED && s.state == RTCSctpTransportState.CONNECTED ? RTCSctpTransportState.CLOSED
                : s.state;
        if (mapped != s.state) {
            LOG.debug("SCTP {}", mapped);
            s.state = mapped;
            if (mapped == RTCSctpTransportState.CONNECTED) {
                s.maxChannels = Math.min(channels.association().outboundStreams(), channels.association().inboundStreams());
            }
            s.onStateChange.fire(mapped);
        }
    }

    private void onChannelEvent(DataChannelEvent e) {
        DataChannel under = e.channel();
        RTCDataChannel ch = channelMap.get(under);
        switch (e) {
            case DataChannelEvent.Open o -> {
                LOG.debug("channel {} open", under.label());
                if (ch != null) {
                    dataChannelsOpened++;
                    ch.opened();
                }
            }
            case DataChannelEvent.Incoming in -> {
                RTCDataChannel created = RTCDataChannel.incoming(this, loop, under);
                channelMap.put(under, created);
                dataChannelsOpened++;
                onDataChannel.fire(created);
                created.opened();
            }
            case DataChannelEvent.Message m -> {
                if (ch != null) {
                    ch.message(m.data(), m.binary());
                }
            }
            case DataChannelEvent.BufferedAmountLow b -> {
                if (ch != null) {
                    ch.bufferedAmountLow();
                }
            }
            case DataChannelEvent.Closing c -> {
                if (ch != null) {
                    ch.closing();
                }
            }
            case DataChannelEvent.Closed c -> {
                if (ch != null) {
                    channelMap.remove(under);
                    dataChannelsClosed++;
                    ch.closed();
                }
            }
        }
    }

    private void updateConnectionState() {
        if (closed) {
            return;
        }
        RTCIceTransportState ice = iceTransport.state;
        RTCDtlsTransportState d = dtlsTransport.state;
        RTCPeerConnectionState s;
        if (ice == RTCIceTransportState.FAILED || d == RTCDtlsTransportState.FAILED) {
            s = RTCPeerConnectionState.FAILED;
        } else if (ice == RTCIceTransportState.DISCONNECTED) {
            s = RTCPeerConnectionState.DISCONNECTED;
        } else if ((ice == RTCIceTransportState.NEW || ice == RTCIceTransportState.CLOSED)
                && (d == RTCDtlsTransportState.NEW || d == RTCDtlsTransportState.CLOSED)) {
            s = RTCPeerConnectionState.NEW;
        } else if (ice == RTCIceTransportState.NEW || ice == RTCIceTransportState.CHECKING
                || d == RTCDtlsTransportState.NEW || d == RTCDtlsTransportState.CONNECTING) {
            s = RTCPeerConnectionState.CONNECTING;
        } else {
            s = RTCPeerConnectionState.CONNECTED;
        }
        if (s != connectionState) {
            connectionState = s;
            onConnectionStateChange.fire(s);
        }
    }

    // =================================================================================== transports and stats

    RTCIceCandidatePair selectedPair() {
        return call(() -> agent == null || closed ? null : toPair(agent.selectedPair()));
    }

    private RTCIceCandidatePair toPair(CandidatePair p) {
        if (p == null) {
            return null;
        }
        String ufrag = agent.localCredentials().ufrag();
        return new RTCIceCandidatePair(RTCIceCandidate.of(p.local(), mid, ufrag), RTCIceCandidate.of(p.remote(), mid, null));
    }

    /** The stats of the connection (W3C webrtc-stats): transport, pair, candidates, certificates, channels. */
    public CompletableFuture<RTCStatsReport> getStats() {
        return async(this::stats);
    }

    private RTCStatsReport stats() {
        double ts = System.currentTimeMillis();
        List<RTCStats> out = new ArrayList<>();
        Map<String, Object> pcm = new HashMap<>();
        pcm.put("dataChannelsOpened", dataChannelsOpened);
        pcm.put("dataChannelsClosed", dataChannelsClosed);
        out.add(new RTCStats("peer-connection", "P", ts, pcm));
        String localCertId = "CF" + certificate.getFingerprints().get(0).value();
        out.add(certificateStats(localCertId, ts, certificate.dtlsCertificate().encoded(),
                certificate.getFingerprints().get(0)));
        String remoteCertId = null;
        List<byte[]> remoteCerts = dtlsTransport.remoteCertificates;
        if (!remoteCerts.isEmpty()) {
            DtlsFingerprint f = DtlsFingerprint.of(remoteCerts.get(0), DtlsFingerprint.DEFAULT_ALGORITHM);
            String sdp = f.toSdp();
            var fp = new RTCCertificate.RTCDtlsFingerprint(f.algorithm(), sdp.substring(sdp.indexOf(' ') + 1));
            remoteCertId = "CF" + fp.value();
            out.add(certificateStats(remoteCertId, ts, remoteCerts.get(0), fp));
        }
        Map<String, Object> t = new HashMap<>();
        t.put("bytesSent", bytesSent);
        t.put("bytesReceived", bytesReceived);
        t.put("packetsSent", packetsSent);
        t.put("packetsReceived", packetsReceived);
        t.put("iceRole", iceTransport.role.value());
        t.put("iceState", iceTransport.state.value());
        t.put("dtlsState", dtlsTransport.state.value());
        t.put("localCertificateId", localCertId);
        if (remoteCertId != null) {
            t.put("remoteCertificateId", remoteCertId);
        }
        if (dtlsRole != null) {
            t.put("dtlsRole", dtlsRole == DtlsRole.CLIENT ? "client" : "server");
        }
        if (dtlsCipher != null) {
            t.put("dtlsCipher", dtlsCipher);
            t.put("tlsVersion", "FEFD");
        }
        if (agent != null) {
            t.put("iceLocalUsernameFragment", agent.localCredentials().ufrag());
            CandidatePair sel = agent.selectedPair();
            Map<IceCandidate, String> ids = new IdentityHashMap<>();
            for (IceCandidate c : agent.localCandidates()) {
                String id = "I" + c.foundation() + c.port();
                ids.put(c, id);
                out.add(candidateStats("local-candidate", id, ts, c));
            }
            for (IceCandidate c : agent.remoteCandidates()) {
                String id = "R" + c.foundation() + c.port();
                ids.put(c, id);
                out.add(candidateStats("remote-candidate", id, ts, c));
            }
            if (sel != null) {
                String lid = "I" + sel.local().foundation() + sel.local().port();
                String rid = "R" + sel.remote().foundation() + sel.remote().port();
                String pid = "CP" + lid + "_" + rid;
                t.put("selectedCandidatePairId", pid);
                Map<String, Object> p = new HashMap<>();
                p.put("transportId", "T01");
                p.put("localCandidateId", lid);
                p.put("remoteCandidateId", rid);
                p.put("state", "succeeded");
                p.put("nominated", true);
                p.put("bytesSent", bytesSent);
                p.put("bytesReceived", bytesReceived);
                p.put("packetsSent", packetsSent);
                p.put("packetsReceived", packetsReceived);
                out.add(new RTCStats("candidate-pair", pid, ts, p));
            }
        }
        out.add(new RTCStats("transport", "T01", ts, t));
        for (RTCDataChannel ch : channelMap.values()) {
            Map<String, Object> m = new HashMap<>();
            m.put("label", ch.label());
            m.put("protocol", ch.protocol());
            if (ch.id() != null) {
                m.put("dataChannelIdentifier", ch.id());
            }
            m.put("state", ch.readyState().value());
            m.put("messagesSent", ch.messagesSent);
            m.put("bytesSent", ch.bytesSent);
            m.put("messagesReceived", ch.messagesReceived);
            m.put("bytesReceived", ch.bytesReceived);
            out.add(new RTCStats("data-channel", "D" + ch.id(), ts, m));
        }
        return new RTCStatsReport(out);
    }

    private static RTCStats certificateStats(String id, double ts, byte[] der, RTCCertificate.RTCDtlsFingerprint f) {
        return new RTCStats("certificate", id, ts, Map.of("fingerprint", f.value(), "fingerprintAlgorithm",
                f.algorithm(), "base64Certificate", Base64.getEncoder().encodeToString(der)));
    }

    private static RTCStats candidateStats(String type, String id, double ts, IceCandidate c) {
        Map<String, Object> m = new HashMap<>();
        m.put("transportId", "T01");
        m.put("address", c.address());
        m.put("port", c.port());
        m.put("protocol", c.transport().token());
        m.put("candidateType", c.type().token());
        m.put("priority", c.priority());
        m.put("foundation", c.foundation());
        if (c.relatedAddress() != null) {
            m.put("relatedAddress", c.relatedAddress());
            m.put("relatedPort", c.relatedPort());
        }
        return new RTCStats(type, id, ts, m);
    }

    @Override
    public String toString() {
        return "RTCPeerConnection[" + signalingState.value() + ", " + connectionState.value() + "]";
    }
}
