package org.rtc4j;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.rtc4j.dtls.DtlsCertificate;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.internal.Negotiator;
import org.rtc4j.internal.PeerDriver;
import org.rtc4j.internal.PeerStack;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.sctp.datachannel.DataChannels;
import org.rtc4j.sdp.JsepBuilder;
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
 *
 * <p><b>Inside</b> (DESIGN.md, the peer connection, inside), this class is the W3C facade only: a
 * {@link Negotiator} does JSEP and {@link PeerNegotiation} starts what its descriptions start; a {@link PeerStack}
 * is the whole transport (ICE, DTLS, SCTP, SRTP) as one sans-IO engine, which a {@link PeerDriver} runs on the
 * sockets, timer and clock and a {@link PeerPump} drains into the API; {@link PeerIce} starts the ICE agent and
 * maps its events; {@link PeerMedia} and {@link PeerChannels} keep the transceivers and data channels;
 * {@link PeerStates} and {@link PeerStats} map what the stack reports to the W3C states and stats. ICE server host
 * names are resolved before the ICE agent is made, on virtual threads, never on the loop.
 */
public final class RTCPeerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RTCPeerConnection.class);

    private final IoLoop loop;
    private final RTCSettings settings;
    private volatile RTCConfiguration configuration;
    private final RTCCertificate certificate;
    private final PeerStack stack;
    /** Bytes given to the data channels' send from other threads and not yet on the loop, all channels together. */
    final AtomicLong sendsInTransit = new AtomicLong();
    /**
     * The SCTP send buffer's use as of the loop's latest data-channel send or bufferedamountlow: it only falls
     * until the next, so with {@link #sendsInTransit} it never understates what a send would find on the loop.
     */
    private volatile long sctpBufferUsed;
    private final PeerDriver driver;
    private final Negotiator negotiator;
    private final PeerStates states;
    private final PeerStats stats = new PeerStats();
    private final RTCIceTransport iceTransport;
    private final RTCDtlsTransport dtlsTransport;
    private volatile boolean closed;
    private final PeerIce ice;
    private final PeerPump pump;
    private final PeerNegotiation negotiation;
    private final PeerChannels channels;
    private final PeerMedia media;
    private final IceServers servers;

    private final EventSlot<RTCDataChannel> onDataChannel;

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
        for (RTCCertificate c : configuration.certificates()) {
            c.checkUnexpired(Instant.now());
        }
        IceServers.check(configuration.iceServers()); // SyntaxError / InvalidAccessError now, not later
        this.certificate = configuration.certificates().isEmpty()
                ? RTCCertificate.of(DtlsCertificate.generate()) : configuration.certificates().get(0);
        this.loop = IoLoop.assign(settings.ioThreads());
        this.iceTransport = new RTCIceTransport(this, loop);
        this.dtlsTransport = new RTCDtlsTransport(iceTransport, loop);
        this.states = new PeerStates(iceTransport, dtlsTransport, loop);
        onDataChannel = new EventSlot<>("datachannel", loop);
        this.channels = new PeerChannels(this, loop, onDataChannel, stats);
        this.stack = new PeerStack(settings, certificate.dtlsCertificate());
        this.media = new PeerMedia(this, loop, stack, this::now);
        this.servers = new IceServers(loop);
        this.ice = new PeerIce(stack, settings, () -> this.configuration, servers, iceTransport, states, loop,
                this::now);
        this.pump = new PeerPump(loop, stack, () -> closed, this::internalError, ice, states, stats, channels, media,
                this::sctp);
        stack.onWakeup(() -> loop.execute(() -> pump.guarded(pump::pump)));
        this.driver = new PeerDriver(loop, IoLoop.CLOCK, settings, stack, pump::pump, this::internalError);
        pump.driver = driver;
        driver.turnServers(servers::resolved);
        this.negotiator = new Negotiator(stack, ice::start, JsepBuilder.newSessionId(new SecureRandom()),
                certificate.dtlsCertificate().fingerprint(), settings.maxMessageSize(), media.models,
                media::createForRemote);
        ice.negotiator = negotiator;
        this.negotiation = new PeerNegotiation(loop, stack, settings, dtlsTransport, media, ice, negotiator,
                () -> closed, this::now);
        servers.resolve(configuration.iceServers());
        // The sockets are bound now, not when the first description is made: enumerating interfaces and
        // binding take milliseconds that would otherwise delay the offer or answer.
        loop.call(() -> {
            try {
                driver.bind();
            } catch (java.io.IOException e) {
                loop.release();
                throw new OperationError("cannot open UDP sockets: " + e.getMessage(), e);
            }
            return null;
        });
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
        IceServers.check(value.iceServers());
        configuration = new RTCConfiguration(value.iceServers(), value.iceTransportPolicy(), value.bundlePolicy(),
                configuration.certificates(), value.iceCandidatePoolSize());
        servers.resolve(configuration.iceServers());
        ice.serversChanged();
    }

    // =================================================================================== offer / answer

    public CompletableFuture<RTCSessionDescription> createOffer() {
        return createOffer(new RTCOfferOptions(false));
    }

    /** Creates an offer (W3C section 4.4.1.5, JSEP section 5.2). */
    public CompletableFuture<RTCSessionDescription> createOffer(RTCOfferOptions options) {
        return async(() -> {
            checkOpen();
            stack.traceApi("api-createOffer");
            RTCSessionDescription offer = negotiator.createOffer(driver.now(), options.iceRestart());
            stack.traceApi("api-createOffer-done");
            pumpSoon();
            return offer;
        });
    }

    /** Creates an answer to the remote offer (W3C section 4.4.1.5, JSEP section 5.3). */
    public CompletableFuture<RTCSessionDescription> createAnswer() {
        return async(() -> {
            checkOpen();
            stack.traceApi("api-createAnswer");
            RTCSessionDescription answer = negotiator.createAnswer();
            stack.traceApi("api-createAnswer-done");
            return answer;
        });
    }

    /** Sets the local description made by {@link #createOffer} or {@link #createAnswer}, or a rollback. */
    public CompletableFuture<Void> setLocalDescription(RTCSessionDescription description) {
        Objects.requireNonNull(description, "description");
        return async(() -> {
            checkOpen();
            stack.traceApi("api-setLocal");
            negotiation.apply(() -> negotiator.applyLocal(description));
            stack.traceApi("api-setLocal-done");
            pumpSoon();
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
            return negotiator.implicitOffer();
        }).thenCompose(offer -> offer
                ? createOffer().thenCompose(this::setLocalDescription)
                : createAnswer().thenCompose(this::setLocalDescription));
    }

    /** Applies the peer's offer, answer or a rollback (W3C section 4.4.1.6). */
    public CompletableFuture<Void> setRemoteDescription(RTCSessionDescription description) {
        Objects.requireNonNull(description, "description");
        return async(() -> {
            checkOpen();
            stack.traceApi("api-setRemote");
            negotiation.apply(() -> negotiator.applyRemote(description));
            stack.traceApi("api-setRemote-done");
            pumpSoon();
            return null;
        });
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
            negotiator.addRemoteCandidate(candidate, candidate.iceCandidate());
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
            negotiator.restartIce();
            negotiation.negotiationNeeded();
        });
    }

    // =================================================================================== descriptions and states

    public RTCSessionDescription localDescription() {
        return call(negotiator::localDescription);
    }

    public RTCSessionDescription currentLocalDescription() {
        return call(negotiator::currentLocalDescription);
    }

    public RTCSessionDescription pendingLocalDescription() {
        return call(negotiator::pendingLocalDescription);
    }

    public RTCSessionDescription remoteDescription() {
        return call(negotiator::remoteDescription);
    }

    public RTCSessionDescription currentRemoteDescription() {
        return call(negotiator::currentRemoteDescription);
    }

    public RTCSessionDescription pendingRemoteDescription() {
        return call(negotiator::pendingRemoteDescription);
    }

    /** Whether the peer accepts trickled candidates ({@code null} before a remote description). */
    public Boolean canTrickleIceCandidates() {
        return call(negotiator::canTrickleIceCandidates);
    }

    public RTCSignalingState signalingState() {
        return negotiator.signalingState();
    }

    public RTCIceGatheringState iceGatheringState() {
        return states.iceGatheringState();
    }

    public RTCIceConnectionState iceConnectionState() {
        return states.iceConnectionState();
    }

    public RTCPeerConnectionState connectionState() {
        return states.connectionState();
    }

    /** The SCTP transport, once a description with a data-channel section was applied; else {@code null}. */
    public RTCSctpTransport sctp() {
        return negotiation.sctp();
    }

    // =================================================================================== events

    public void onSignalingStateChange(Consumer<RTCSignalingState> handler) {
        negotiation.onSignalingStateChange.set(handler);
    }

    public void onIceGatheringStateChange(Consumer<RTCIceGatheringState> handler) {
        states.onIceGatheringStateChange.set(handler);
    }

    public void onIceConnectionStateChange(Consumer<RTCIceConnectionState> handler) {
        states.onIceConnectionStateChange.set(handler);
    }

    public void onConnectionStateChange(Consumer<RTCPeerConnectionState> handler) {
        states.onConnectionStateChange.set(handler);
    }

    /** Local candidates as they are gathered; the last one is the end-of-candidates indication. */
    public void onIceCandidate(Consumer<RTCIceCandidate> handler) {
        ice.onIceCandidate.set(handler);
    }

    public void onIceCandidateError(Consumer<RTCPeerConnectionIceErrorEvent> handler) {
        ice.onIceCandidateError.set(handler);
    }

    public void onNegotiationNeeded(Runnable handler) {
        negotiation.onNegotiationNeeded.set(handler == null ? null : e -> handler.run());
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
        PeerChannels.check(label, init);
        return call(() -> {
            checkOpen();
            RTCDataChannel ch = new RTCDataChannel(this, loop, label, init);
            channels.add(ch, stack.channels());
            pumpSoon();
            if (negotiator.dataChannelCreated()) {
                negotiation.negotiationNeeded();
            }
            return ch;
        });
    }

    // =================================================================================== media (W3C section 5)

    /**
     * Sends a track (W3C section 4.4.1.8, addTrack): on a transceiver of its kind that never sent, else on a new
     * sendrecv one; negotiationneeded fires.
     *
     * @throws InvalidAccessError when the track is sent already; InvalidStateError when closed
     */
    public RTCRtpSender addTrack(MediaStreamTrack track, MediaStream... streams) {
        Objects.requireNonNull(track, "track");
        return call(() -> {
            checkOpen();
            return media.addTrack(track, List.of(streams));
        });
    }

    /** Stops sending the sender's track (W3C section 4.4.1.8, removeTrack); negotiationneeded fires. */
    public void removeTrack(RTCRtpSender sender) {
        Objects.requireNonNull(sender, "sender");
        call(() -> {
            checkOpen();
            media.removeTrack(sender);
            return null;
        });
    }

    /** A new transceiver sending {@code track} (W3C section 4.4.1.8, addTransceiver). */
    public RTCRtpTransceiver addTransceiver(MediaStreamTrack track, RTCRtpTransceiverInit init) {
        Objects.requireNonNull(track, "track");
        return call(() -> {
            checkOpen();
            return media.add(track.kind().toString(), track, init);
        });
    }

    /** A new transceiver of a kind, "audio" or "video", without a track yet. */
    public RTCRtpTransceiver addTransceiver(String kind, RTCRtpTransceiverInit init) {
        return call(() -> {
            checkOpen();
            return media.add(kind, null, init);
        });
    }

    public RTCRtpTransceiver addTransceiver(String kind) {
        return addTransceiver(kind, RTCRtpTransceiverInit.defaults());
    }

    public List<RTCRtpTransceiver> getTransceivers() {
        return call(media::all);
    }

    public List<RTCRtpSender> getSenders() {
        return call(() -> media.all().stream().filter(t -> !t.model.stopped).map(RTCRtpTransceiver::sender).toList());
    }

    public List<RTCRtpReceiver> getReceivers() {
        return call(() -> media.all().stream().filter(t -> !t.model.stopped).map(RTCRtpTransceiver::receiver).toList());
    }

    /** The peer sends media on a transceiver (W3C section 5.7): its receiver's track, in the peer's streams. */
    public void onTrack(Consumer<RTCTrackEvent> handler) {
        media.onTrack.set(handler);
    }

    void mediaChanged() {
        if (negotiator.mediaChanged()) {
            negotiation.negotiationNeeded();
        }
    }

    void forgetPending(RTCDataChannel ch) {
        channels.forgetPending(ch);
    }

    /** The bytes this connection's data channels may have queued or unacknowledged (RTCSettings). */
    long sctpSendBuffer() {
        return settings.sctpSendBuffer();
    }

    long sctpBufferUsed() {
        return sctpBufferUsed;
    }

    /** On the loop, after a send or bufferedamountlow. */
    void noteSctpBufferUsed() {
        DataChannels c = stack.channels();
        sctpBufferUsed = c == null ? 0 : c.association().sendBufferUsed();
    }

    long remoteMaxMessageSize() {
        return stack.remoteMaxMessageSize();
    }

    // =================================================================================== close

    /**
     * Closes the connection (W3C section 4.4.1.7): the channels close without events, SCTP sends ABORT, DTLS
     * close_notify, and the sockets and timers are released before this returns.
     */
    @Override
    public void close() {
        if (loop.onAnotherLoop()) {
            loop.execute(this::closeNow); // from another connection's callback: never wait for this loop
            return;
        }
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
        negotiator.close();
        LOG.debug("closing: {}, {}, {}", stack.describe(), channels.describe(), driver.counters());
        channels.closeSilently();
        media.close();
        try {
            stack.close(driver.now());
        } catch (RuntimeException e) {
            LOG.debug("error while closing", e);
        }
        driver.close();
        loop.release();
        states.closed();
        negotiation.close();
        ice.close();
        onDataChannel.clear();
    }

    private void checkOpen() {
        if (closed) {
            throw new InvalidStateError("the connection is closed");
        }
    }

    // =================================================================================== the loop

    /** Runs a promise's work on the loop, after the ICE servers' names are resolved, in call order. */
    <T> CompletableFuture<T> async(Supplier<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable task = () -> {
            T value;
            try {
                value = action.get();
            } catch (Throwable e) {
                f.completeExceptionally(e);
                return;
            }
            f.complete(value);
        };
        servers.afterResolution(task);
        return f;
    }

    /** The driver's clock (made after the parts that read it, which read it only later). */
    private Instant now() {
        return driver.now();
    }

    private <T> T call(Supplier<T> action) {
        return loop.call(action);
    }

    /** A bug of ours surfaced on the loop: the connection fails and closes rather than repeat it forever. */
    private void internalError(RuntimeException e) {
        if (closed) {
            return;
        }
        LOG.error("internal error; the connection fails and closes", e);
        states.dtlsFailed(new OperationError("internal error: " + e));
        closeNow();
    }

    /** The connection's loop (for {@link LoopPlayer}). */
    IoLoop loop() {
        return loop;
    }

    /** Pumps on the loop after the current task (from API calls that queue output). */
    void pumpSoon() {
        pump.pumpSoon();
    }

    // =================================================================================== transports and stats

    RTCIceCandidatePair selectedPair() {
        return call(() -> closed ? null : ice.selectedPair());
    }

    /** The stats of the connection (W3C webrtc-stats): transport, pair, candidates, certificates, channels, RTP. */
    public CompletableFuture<RTCStatsReport> getStats() {
        return async(() -> stats.collect(certificate, iceTransport, dtlsTransport, stack.ice(), stack.dtlsRole(),
                driver.counters(), channels.all(), stack.media().session(), media));
    }

    /** The one DTLS transport every section is bundled on (W3C section 5.2, sender and receiver transport). */
    RTCDtlsTransport dtlsTransport() {
        return dtlsTransport;
    }

    @Override
    public String toString() {
        return "RTCPeerConnection[" + signalingState().value() + ", " + connectionState().value() + "]";
    }
}
