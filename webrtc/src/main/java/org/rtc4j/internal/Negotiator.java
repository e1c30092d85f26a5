package org.rtc4j.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.rtc4j.InvalidAccessError;
import org.rtc4j.InvalidModificationError;
import org.rtc4j.InvalidStateError;
import org.rtc4j.OperationError;
import org.rtc4j.RTCIceCandidate;
import org.rtc4j.RTCSdpType;
import org.rtc4j.RTCSessionDescription;
import org.rtc4j.RTCSignalingState;
import org.rtc4j.SyntaxError;
import org.rtc4j.TypeError;
import org.rtc4j.dtls.DtlsFingerprint;
import org.rtc4j.dtls.DtlsRole;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.ice.IceRole;
import org.rtc4j.sdp.DataChannelParameters;
import org.rtc4j.sdp.Fingerprint;
import org.rtc4j.sdp.JsepBuilder;
import org.rtc4j.sdp.MediaDescription;
import org.rtc4j.sdp.SdpParseException;
import org.rtc4j.sdp.SessionDescription;
import org.rtc4j.sdp.Setup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSEP (RFC 9429) for one peer connection: the signaling state, the pending and current local and remote
 * descriptions, rollback, and the offers and answers written from them (W3C section 4.4.1.5 and 4.4.1.6).
 *
 * <p>A description is a list of sections under one BUNDLE transport, each with its mid: the data section first,
 * then one audio or video section per transceiver ({@link MediaNegotiation} writes and reads those), all on
 * the one {@link PeerStack}.
 *
 * <p>It drives ICE's control plane on the stack (credentials, remote candidates) and tells its owner what else
 * an applied description starts ({@link Applied}); the signaling state changes wait in
 * {@link #pollSignalingStateChange()}. Loop-confined, as the rest of the connection.
 */
public final class Negotiator {

    private static final Logger LOG = LoggerFactory.getLogger(Negotiator.class);

    /** One m= section of the descriptions: its mid and what it carries. */
    public record Section(String mid, Kind kind) {

        public enum Kind { DATA }
    }

    /**
     * What applying a description started: DTLS with this role when a description made both sides known (null
     * otherwise), gathering, and whether a negotiation is needed again (an ICE restart asked for meanwhile).
     */
    public record Applied(DtlsRole transportRole, boolean gather, boolean negotiationNeeded,
                          List<TransceiverModel> tracks, List<TransceiverModel> ended) {

        static final Applied NOTHING = new Applied(null, false, false, List.of(), List.of());

        Applied(DtlsRole transportRole, boolean gather, boolean negotiationNeeded) {
            this(transportRole, gather, negotiationNeeded, List.of(), List.of());
        }

        Applied withTracks(List<TransceiverModel> t) {
            return new Applied(transportRole, gather, negotiationNeeded, t, ended);
        }

        /**
         * With the transceivers stopped by the peer's rejection or removed from the connection (stopped and
         * negotiated away, W3C section 4.4.1.6): their tracks end, and removed ones leave getTransceivers.
         */
        Applied withEnded(List<TransceiverModel> e) {
            return new Applied(transportRole, gather, negotiationNeeded, tracks, e);
        }
    }

    /** What a local description was made from; its SDP is written again with the candidates known so far. */
    private record Local(RTCSdpType type, SessionDescription remoteOffer, Setup setup, long version, String ufrag,
                         String pwd) {
    }

    /** A remote description with what it says about the data section. */
    private record Remote(RTCSessionDescription description, DataChannelParameters parameters) {
    }

    private final PeerStack stack;
    private final Function<IceRole, IceAgent> startIce;
    private final long sessionId;
    private final DtlsFingerprint fingerprint;
    private final long maxMessageSize;
    private final List<Section> sections = new ArrayList<>(List.of(new Section("0", Section.Kind.DATA)));
    private final List<TransceiverModel> transceivers;
    private final Function<String, TransceiverModel> newTransceiver;
    private final List<RTCSignalingState> stateChanges = new ArrayList<>();
    private final List<String> localCandidates = new ArrayList<>();
    /** Every mid a description used: a new section never reuses one (RFC 9429 section 5.2.2). */
    private final Set<String> usedMids = new HashSet<>();
    /** Transceivers a remote offer made, still pending: a rollback removes them (W3C section 4.4.1.5). */
    private final List<TransceiverModel> createdByRemote = new ArrayList<>();
    private volatile RTCSignalingState signalingState = RTCSignalingState.STABLE;
    private long sessionVersion = 1;
    private Local currentLocal;
    private Local pendingLocal;
    private Remote currentRemote;
    private Remote pendingRemote;
    private String lastOffer;
    private String lastAnswer;
    private DtlsRole dtlsRole;
    private boolean localEnd;
    private boolean restartPending;
    private boolean negotiationNeeded;
    private boolean dataNegotiated;

    /**
     * @param startIce makes the stack's ICE agent with the role of whoever starts (called once)
     * @param fingerprint our certificate's, for {@code a=fingerprint}
     * @param maxMessageSize ours, for {@code a=max-message-size}
     * @param transceivers the connection's transceivers, in order (their sections follow the data section)
     * @param newTransceiver makes (and adds) a transceiver of a kind for a section a remote offer adds
     */
    public Negotiator(PeerStack stack, Function<IceRole, IceAgent> startIce, long sessionId,
            DtlsFingerprint fingerprint, long maxMessageSize, List<TransceiverModel> transceivers,
            Function<String, TransceiverModel> newTransceiver) {
        this.stack = stack;
        this.transceivers = transceivers;
        this.newTransceiver = newTransceiver;
        this.startIce = startIce;
        this.sessionId = sessionId;
        this.fingerprint = fingerprint;
        this.maxMessageSize = maxMessageSize;
    }

    public RTCSignalingState signalingState() {
        return signalingState;
    }

    /** The next signaling state change to fire, or {@code null}. */
    public RTCSignalingState pollSignalingStateChange() {
        return stateChanges.isEmpty() ? null : stateChanges.remove(0);
    }

    /** The data section's mid, for candidates ({@code sdpMid}). */
    public String dataMid() {
        return sections.get(0).mid();
    }

    // =================================================================================== offer and answer

    /** Writes an offer (JSEP section 5.2), restarting ICE first when asked or pending. */
    public RTCSessionDescription createOffer(Instant now, boolean iceRestart) {
        if (signalingState != RTCSignalingState.STABLE && signalingState != RTCSignalingState.HAVE_LOCAL_OFFER) {
            throw new InvalidStateError("createOffer in signaling state " + signalingState.value()
                    + ": apply the peer's answer first, or roll back");
        }
        IceAgent ice = ensureIce(IceRole.CONTROLLING);
        if ((iceRestart || restartPending) && currentRemote != null) {
            ice.restart(now);
            localCandidates.clear();
            localEnd = false;
            restartPending = false;
        }
        for (TransceiverModel t : transceivers) {
            if (t.mid == null && !t.stopped) {
                t.mid = nextMid();      // JSEP section 5.2.1: a new section gets a mid not used before
            }
        }
        Setup setup = dtlsRole == null ? Setup.ACTPASS : dtlsRole == DtlsRole.CLIENT ? Setup.ACTIVE : Setup.PASSIVE;
        Local l = new Local(RTCSdpType.OFFER, null, setup, ++sessionVersion, ice.localCredentials().ufrag(),
                ice.localCredentials().password());
        lastOffer = render(l).sdp();
        return new RTCSessionDescription(RTCSdpType.OFFER, lastOffer);
    }

    private String nextMid() {
        for (int n = 0; ; n++) {
            String mid = Integer.toString(n);
            if (!mid.equals(dataMid()) && !usedMids.contains(mid) && transceivers.stream().noneMatch(t -> mid.equals(t.mid))) {
                return mid;
            }
        }
    }

    /** Writes an answer to the remote offer (JSEP section 5.3). */
    public RTCSessionDescription createAnswer() {
        if (signalingState != RTCSignalingState.HAVE_REMOTE_OFFER
                && signalingState != RTCSignalingState.HAVE_LOCAL_PRANSWER) {
            throw new InvalidStateError("createAnswer in signaling state " + signalingState.value()
                    + ": set the peer's offer with setRemoteDescription first");
        }
        Setup setup = dtlsRole == null ? null : dtlsRole == DtlsRole.CLIENT ? Setup.ACTIVE : Setup.PASSIVE;
        IceAgent ice = stack.ice();
        SessionDescription offer = Descriptions.parse(pendingRemote.description().sdp(), "the remote offer");
        Local l = new Local(RTCSdpType.ANSWER, offer, setup, ++sessionVersion, ice.localCredentials().ufrag(), ice.localCredentials().password());
        lastAnswer = render(l).sdp();
        return new RTCSessionDescription(RTCSdpType.ANSWER, lastAnswer);
    }

    /** Whether the implicit setLocalDescription makes an offer (else an answer), W3C section 4.4.1.6. */
    public boolean implicitOffer() {
        return signalingState == RTCSignalingState.STABLE || signalingState == RTCSignalingState.HAVE_LOCAL_OFFER
                || signalingState == RTCSignalingState.HAVE_REMOTE_PRANSWER;
    }

    /** Sets the local description made by createOffer or createAnswer, or a rollback. */
    public Applied applyLocal(RTCSessionDescription d) {
        LOG.debug("local {}", d.type());
        switch (d.type()) {
            case ROLLBACK -> {
                if (signalingState != RTCSignalingState.HAVE_LOCAL_OFFER) {
                    throw new InvalidStateError("nothing to roll back in signaling state " + signalingState.value());
                }
                pendingLocal = null;
                setSignalingState(RTCSignalingState.STABLE);
                return Applied.NOTHING.withEnded(rollBackTransceivers());
            }
            case OFFER -> {
                if (signalingState != RTCSignalingState.STABLE && signalingState != RTCSignalingState.HAVE_LOCAL_OFFER) {
                    throw new InvalidStateError("cannot set a local offer in signaling state " + signalingState.value());
                }
                if (lastOffer == null || (!d.sdp().isEmpty() && !d.sdp().equals(lastOffer))) {
                    throw new InvalidModificationError("set the offer createOffer made, unchanged (SDP munging is not supported)");
                }
                pendingLocal = readBack(lastOffer, RTCSdpType.OFFER);
                setSignalingState(RTCSignalingState.HAVE_LOCAL_OFFER);
                return new Applied(null, true, false);
            }
            default -> {
                if (signalingState != RTCSignalingState.HAVE_REMOTE_OFFER
                        && signalingState != RTCSignalingState.HAVE_LOCAL_PRANSWER) {
                    throw new InvalidStateError("cannot set a local " + d.type().value() + " in signaling state "
                            + signalingState.value() + ": set the peer's offer first");
                }
                if (lastAnswer == null || (!d.sdp().isEmpty() && !d.sdp().equals(lastAnswer))) {
                    throw new InvalidModificationError("set the answer createAnswer made, unchanged (SDP munging is not supported)");
                }
                Local l = readBack(lastAnswer, d.type());
                if (d.type() == RTCSdpType.PRANSWER) {
                    pendingLocal = l;
                    setSignalingState(RTCSignalingState.HAVE_LOCAL_PRANSWER);
                    return new Applied(null, true, false);
                }
                currentLocal = l;
                currentRemote = pendingRemote;
                pendingLocal = null;
                pendingRemote = null;
                // RFC 8842 section 5.3: we answered; our a=setup names our role.
                Setup ours = l.setup() != null ? l.setup() : currentRemote.parameters().setup().orElse(Setup.ACTIVE).answer();
                DtlsRole role = toDtls(Setup.localRole(ours, false).orElseThrow());
                SessionDescription answer = Descriptions.parse(lastAnswer, "the local answer");
                SessionDescription offer = Descriptions.parse(currentRemote.description().sdp(), "the remote offer");
                MediaNegotiation.settle(answer, offer, true, transceivers, stack.media());
                return stable(role, true).withEnded(removeStopped(answer));
            }
        }
    }

    /** Applies the peer's offer, answer or a rollback. */
    public Applied applyRemote(RTCSessionDescription d) {
        LOG.debug("remote {}", d.type());
        if (d.type() == RTCSdpType.ROLLBACK) {
            if (signalingState != RTCSignalingState.HAVE_REMOTE_OFFER) {
                throw new InvalidStateError("nothing to roll back in signaling state " + signalingState.value());
            }
            pendingRemote = null;
            setSignalingState(RTCSignalingState.STABLE);
            List<TransceiverModel> ended = rollBackTransceivers();
            return Applied.NOTHING.withEnded(ended);
        }
        DataChannelParameters p;
        SessionDescription sd;
        try {
            sd = SessionDescription.parse(d.sdp());
            p = Descriptions.transportOf(sd);
        } catch (SdpParseException e) {
            throw new SyntaxError("the remote description does not parse: " + e.getMessage(), e);
        }
        Remote remote = new Remote(d, p);
        MediaNegotiation.checkExtensionIds(sd, stack.media().extensions());
        switch (d.type()) {
            case OFFER -> {
                List<TransceiverModel> ended = new ArrayList<>();
                if (signalingState == RTCSignalingState.HAVE_LOCAL_OFFER) {
                    // W3C section 4.4.1.6 step 4.6.9: an offer in have-local-offer rolls ours back (glare).
                    pendingLocal = null;
                    setSignalingState(RTCSignalingState.STABLE);
                    ended.addAll(rollBackTransceivers());
                }
                if (signalingState != RTCSignalingState.STABLE && signalingState != RTCSignalingState.HAVE_REMOTE_OFFER) {
                    throw new InvalidStateError("cannot set a remote offer in signaling state " + signalingState.value());
                }
                ensureIce(IceRole.CONTROLLED);
                applyIce(p);
                pendingRemote = remote;
                setSignalingState(RTCSignalingState.HAVE_REMOTE_OFFER);
                ended.addAll(MediaNegotiation.stopRejected(sd, transceivers));
                MediaNegotiation.associate(sd, transceivers, kind -> {
                    TransceiverModel t = newTransceiver.apply(kind);
                    createdByRemote.add(t);
                    return t;
                });
                useMids(sd);
                return Applied.NOTHING.withTracks(MediaNegotiation.remoteTracks(sd, transceivers)).withEnded(ended);
            }
            case ANSWER, PRANSWER -> {
                if (signalingState != RTCSignalingState.HAVE_LOCAL_OFFER
                        && signalingState != RTCSignalingState.HAVE_REMOTE_PRANSWER) {
                    throw new InvalidStateError("cannot set a remote " + d.type().value() + " in signaling state "
                            + signalingState.value() + ": create and set an offer first");
                }
                Setup theirs = p.setup().orElse(Setup.PASSIVE); // RFC 4145 section 4: absent in an answer
                Optional<org.rtc4j.sdp.DtlsRole> role = Setup.localRole(theirs, true);
                if (role.isEmpty()) {
                    throw new InvalidAccessError("the answer's a=setup:" + theirs.sdpValue()
                            + " is not active or passive (RFC 8842 section 5.3)");
                }
                applyIce(p);
                if (d.type() == RTCSdpType.PRANSWER) {
                    pendingRemote = remote;
                    setSignalingState(RTCSignalingState.HAVE_REMOTE_PRANSWER);
                    return Applied.NOTHING;
                }
                currentRemote = remote;
                currentLocal = pendingLocal;
                pendingLocal = null;
                pendingRemote = null;
                List<TransceiverModel> ended = new ArrayList<>(MediaNegotiation.stopRejected(sd, transceivers));
                MediaNegotiation.settle(sd, sd, false, transceivers, stack.media());
                useMids(sd);
                ended.addAll(removeStopped(sd));
                return stable(toDtls(role.get()), false).withTracks(MediaNegotiation.remoteTracks(sd, transceivers))
                        .withEnded(ended);
            }
            default -> throw new TypeError("unknown description type " + d.type());
        }
    }

    /** The mids of a description: never given to a new section afterwards. */
    private void useMids(SessionDescription sd) {
        for (MediaDescription m : sd.media()) {
            m.mid().ifPresent(usedMids::add);
        }
    }

    /** The negotiation is done: stopped transceivers negotiated away leave (see {@link MediaNegotiation#removeStopped}). */
    private List<TransceiverModel> removeStopped(SessionDescription answer) {
        createdByRemote.clear();
        useMids(answer);
        return MediaNegotiation.removeStopped(answer, transceivers);
    }

    /** A rollback: see {@link MediaNegotiation#rollBack}; the current remote description says which mids stay. */
    private List<TransceiverModel> rollBackTransceivers() {
        SessionDescription current = currentRemote == null ? null
                : Descriptions.parse(currentRemote.description().sdp(), "the remote description");
        List<TransceiverModel> removed = MediaNegotiation.rollBack(current, transceivers, createdByRemote);
        createdByRemote.clear();
        return removed;
    }

    /** Both descriptions are current: the transport starts (once), and a pending restart asks to negotiate. */
    private Applied stable(DtlsRole role, boolean gather) {
        if (dtlsRole == null) {
            dtlsRole = role;
        }
        setSignalingState(RTCSignalingState.STABLE);
        dataNegotiated = true;
        if (negotiationNeeded && !restartPending) {
            negotiationNeeded = false;
        }
        return new Applied(role, gather, restartPending);
    }

    private static DtlsRole toDtls(org.rtc4j.sdp.DtlsRole role) {
        return role == org.rtc4j.sdp.DtlsRole.CLIENT ? DtlsRole.CLIENT : DtlsRole.SERVER;
    }

    private IceAgent ensureIce(IceRole role) {
        IceAgent ice = stack.ice();
        return ice != null ? ice : startIce.apply(role);
    }

    /** The remote description's ICE and transport parameters onto the stack. */
    private void applyIce(DataChannelParameters p) {
        IceAgent ice = stack.ice();
        String ufrag = ice.localCredentials().ufrag();
        try {
            ice.setRemoteCredentials(p.iceUfrag(), p.icePwd());
        } catch (IllegalArgumentException e) {
            throw new InvalidAccessError("the remote ICE credentials are invalid: " + e.getMessage(), e);
        }
        if (!ufrag.equals(ice.localCredentials().ufrag())) {
            localCandidates.clear(); // the peer restarted ICE and so did we: the old candidates are not ours now
            localEnd = false;
        }
        ice.setRemoteLite(p.iceLite());
        for (String c : p.candidates()) {
            try {
                ice.addRemoteCandidate(IceCandidate.parse("candidate:" + c));
            } catch (IllegalArgumentException e) {
                LOG.debug("ignoring a remote candidate: {}", e.getMessage());
            }
        }
        if (p.endOfCandidates()) {
            ice.endOfRemoteCandidates();
        }
        stack.setRemote(new RemoteTransport(p.fingerprints().stream()
                .map(f -> new DtlsFingerprint(f.hashFunction(), f.digest())).toList(), p.sctpPort(),
                p.maxMessageSize() == Long.MAX_VALUE ? 0 : p.maxMessageSize(), p.maxDatagram()));
    }

    /** The template of a description this connection wrote (the last createOffer/createAnswer). */
    private Local readBack(String sdp, RTCSdpType type) {
        SessionDescription sd = Descriptions.parse(sdp, "the local description");
        try {
            DataChannelParameters p = Descriptions.transportOf(sd);
            sections.set(0, new Section(p.mid(), Section.Kind.DATA));
            SessionDescription offer = type == RTCSdpType.OFFER ? null
                    : Descriptions.parse(pendingRemote.description().sdp(), "the remote offer");
            return new Local(type, offer, p.setup().orElse(null), Long.parseLong(sd.origin().sessionVersion()),
                    p.iceUfrag(), p.icePwd());
        } catch (SdpParseException e) {
            throw new OperationError("cannot read back the local description: " + e.getMessage(), e);
        }
    }

    private void setSignalingState(RTCSignalingState s) {
        if (signalingState != s) {
            signalingState = s;
            stateChanges.add(s);
        }
    }

    /** The connection closed: the state is closed, without an event (W3C section 4.4.1.7). */
    public void close() {
        signalingState = RTCSignalingState.CLOSED;
        stateChanges.clear();
    }

    // =================================================================================== candidates

    /**
     * Checks a remote candidate against the remote description (W3C section 4.4.1.6, addIceCandidate) and gives
     * it to ICE.
     */
    public void addRemoteCandidate(RTCIceCandidate candidate, IceCandidate parsed) {
        Remote remote = pendingRemote != null ? pendingRemote : currentRemote;
        if (remote == null) {
            throw new InvalidStateError("addIceCandidate before setRemoteDescription: set the peer's description "
                    + "first, or queue its candidates until then");
        }
        String mid = candidate.sdpMid();
        if (mid != null && !mid.equals(remote.parameters().mid())) {
            if (Descriptions.parse(remote.description().sdp(), "the remote description").mediaByMid(mid).isEmpty()) {
                throw new OperationError("no media section with mid '" + mid + "'");
            }
            // RFC 8843 section 10: a candidate of another section is for a transport BUNDLE does not use (a
            // stack that gathers per section before the answer sends them): not an error, and not for ICE here.
            LOG.debug("ignoring a candidate of bundled section {}", mid);
            return;
        }
        String ufrag = candidate.usernameFragment();
        if (ufrag != null && !ufrag.equals(remote.parameters().iceUfrag())) {
            throw new OperationError("the candidate belongs to ICE generation '" + ufrag + "', not the current '"
                    + remote.parameters().iceUfrag() + "'");
        }
        if (candidate.isEndOfCandidates()) {
            stack.ice().endOfRemoteCandidates();
        } else {
            stack.ice().addRemoteCandidate(parsed);
        }
    }

    /** A local candidate ICE gathered: it goes into the descriptions written from now on. */
    public void addLocalCandidate(String line) {
        localCandidates.add(line);
    }

    /** Whether the descriptions say a=end-of-candidates (gathering is complete). */
    public void setEndOfCandidates(boolean end) {
        localEnd = end;
    }

    // =================================================================================== negotiation needed

    /** A data channel was created: the first asks for a negotiation (W3C section 6.1.1.1); true to fire it. */
    public boolean dataChannelCreated() {
        if (!dataNegotiated && !negotiationNeeded) {
            negotiationNeeded = true;
            return true;
        }
        return false;
    }

    /**
     * A transceiver was added, stopped, or its direction or track's streams changed (W3C section 4.7.3, "check if
     * negotiation is needed"): true to fire negotiationneeded.
     */
    public boolean mediaChanged() {
        if (!negotiationNeeded) {
            negotiationNeeded = true;
            return true;
        }
        return false;
    }

    /** restartIce(): the next offer has new credentials (W3C section 4.4.1.6). */
    public void restartIce() {
        restartPending = true;
    }

    // =================================================================================== descriptions

    public RTCSessionDescription localDescription() {
        return pendingLocal != null ? render(pendingLocal) : currentLocal != null ? render(currentLocal) : null;
    }

    public RTCSessionDescription currentLocalDescription() {
        return currentLocal == null ? null : render(currentLocal);
    }

    public RTCSessionDescription pendingLocalDescription() {
        return pendingLocal == null ? null : render(pendingLocal);
    }

    public RTCSessionDescription remoteDescription() {
        return pendingRemote != null ? pendingRemote.description()
                : currentRemote != null ? currentRemote.description() : null;
    }

    public RTCSessionDescription currentRemoteDescription() {
        return currentRemote == null ? null : currentRemote.description();
    }

    public RTCSessionDescription pendingRemoteDescription() {
        return pendingRemote == null ? null : pendingRemote.description();
    }

    /** Whether the peer accepts trickled candidates ({@code null} before a remote description). */
    public Boolean canTrickleIceCandidates() {
        Remote r = pendingRemote != null ? pendingRemote : currentRemote;
        return r == null ? null : r.parameters().trickle();
    }

    private RTCSessionDescription render(Local l) {
        JsepBuilder b = l.type() == RTCSdpType.OFFER ? JsepBuilder.offer().mid(dataMid())
                : JsepBuilder.answer(l.remoteOffer());
        String cname = stack.media().cname();
        if (l.type() == RTCSdpType.OFFER) {
            SessionDescription previous = currentRemote == null ? null
                    : Descriptions.parse(currentRemote.description().sdp(), "the remote description");
            List<MediaNegotiation.Slot> order = MediaNegotiation.sectionOrder(previous, transceivers);
            var extensionIds = MediaNegotiation.offerExtensionIds(previous);
            if (!order.contains(MediaNegotiation.Slot.DATA)) {
                b.noDataSection();
            }
            for (MediaNegotiation.Slot s : order) {
                if (s == MediaNegotiation.Slot.DATA) {
                    b.dataSection();
                } else if (s.transceiver() != null) {
                    b.media(MediaNegotiation.offer(s.transceiver(), cname, extensionIds));
                } else {
                    b.media(MediaNegotiation.rejected(s.rejectedMid(), s.rejectedKind()));
                }
            }
        } else {
            for (TransceiverModel t : transceivers) {
                if (t.mid != null) {
                    l.remoteOffer().mediaByMid(t.mid).filter(MediaDescription::isRtp)
                            .ifPresent(m -> b.media(MediaNegotiation.answer(l.remoteOffer(), m, t, cname)));
                }
            }
        }
        b.sessionId(sessionId).sessionVersion(l.version()).iceCredentials(l.ufrag(), l.pwd())
                .maxMessageSize(maxMessageSize).maxDatagram(PeerStack.MAX_UDP_PAYLOAD);
        b.fingerprint(new Fingerprint(fingerprint.algorithm(), fingerprint.value()));
        if (l.setup() != null) {
            b.setup(l.setup());
        }
        IceAgent ice = stack.ice();
        if (ice != null && ice.localCredentials().ufrag().equals(l.ufrag())) {
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
}
