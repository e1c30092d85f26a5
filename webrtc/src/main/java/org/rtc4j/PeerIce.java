package org.rtc4j;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceConfig;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.ice.IceRole;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.internal.Negotiator;
import org.rtc4j.internal.PeerStack;

/**
 * The ICE side of a connection behind the W3C facade: the stack's ICE agent made from the configuration when
 * negotiation first needs it, and the agent's events mapped to the W3C ones (icecandidate, the end-of-candidates
 * indication, icecandidateerror, the gathering and connection states, the ICE transport's role and selected
 * pair). Loop-confined.
 */
final class PeerIce {

    private final PeerStack stack;
    private final RTCSettings settings;
    private final Supplier<RTCConfiguration> configuration;
    private final IceServers servers;
    private final RTCIceTransport iceTransport;
    private final PeerStates states;
    private final Supplier<Instant> now;
    /** Set once, right after the negotiator is made (it needs {@link #start} to exist first). */
    Negotiator negotiator;
    final EventSlot<RTCIceCandidate> onIceCandidate;
    final EventSlot<RTCPeerConnectionIceErrorEvent> onIceCandidateError;

    PeerIce(PeerStack stack, RTCSettings settings, Supplier<RTCConfiguration> configuration, IceServers servers,
            RTCIceTransport iceTransport, PeerStates states, IoLoop loop, Supplier<Instant> now) {
        this.stack = stack;
        this.settings = settings;
        this.configuration = configuration;
        this.servers = servers;
        this.iceTransport = iceTransport;
        this.states = states;
        this.now = now;
        onIceCandidate = new EventSlot<>("icecandidate", loop);
        onIceCandidateError = new EventSlot<>("icecandidateerror", loop);
    }

    /** Makes the stack's ICE agent (once, with the role of whoever starts) from the configuration. */
    IceAgent start(IceRole role) {
        RTCConfiguration c = configuration.get();
        IceConfig config = IceConfig.builder()
                .role(role)
                .relayOnly(c.iceTransportPolicy() == RTCIceTransportPolicy.RELAY)
                .servers(servers.resolved())
                .disconnectedTimeout(settings.iceDisconnectedTimeout())
                .consentTimeout(settings.iceFailedTimeout())
                .consentInterval(settings.iceConsentInterval())
                .nominationDelay(settings.iceNominationDelay() != null ? settings.iceNominationDelay()
                        : c.iceServers().isEmpty() ? Duration.ZERO : Duration.ofMillis(200))
                .build();
        IceAgent agent = stack.startIce(config);
        iceTransport.setRole(role == IceRole.CONTROLLING ? RTCIceRole.CONTROLLING : RTCIceRole.CONTROLLED);
        if (c.iceCandidatePoolSize() > 0) {
            agent.prepare(now.get());
        }
        return agent;
    }

    /**
     * setConfiguration changed the ICE servers: once their names are resolved, the agent takes them up at its
     * next restart (W3C section 4.4.1.6, set a configuration), or at once if it has not gathered yet.
     */
    void serversChanged() {
        servers.afterResolution(() -> {
            IceAgent agent = stack.ice();
            if (agent != null && servers.resolved() != null) {
                agent.setServers(servers.resolved());
            }
        });
    }

    /** Starts gathering if the applied description asked for it and it has not started yet. */
    void gatherIfNew() {
        IceAgent agent = stack.ice();
        if (agent != null && agent.gatheringState() == IceGatheringState.NEW) {
            agent.gather(now.get());
        }
    }

    /** One of the agent's events, as the W3C events and states. */
    void onEvent(IceEvent e) {
        IceAgent agent = stack.ice();
        String mid = negotiator.dataMid();
        switch (e) {
            case IceEvent.LocalCandidate c -> {
                negotiator.addLocalCandidate(c.candidate().toSdp());
                onIceCandidate.fire(RTCIceCandidate.of(c.candidate(), mid, agent.localCredentials().ufrag()));
            }
            case IceEvent.GatheringStateChanged g -> {
                // The description says a=end-of-candidates by the time the state says complete.
                boolean complete = g.state() == IceGatheringState.COMPLETE;
                negotiator.setEndOfCandidates(complete);
                states.gathering(g.state());
                if (complete) {
                    onIceCandidate.fire(RTCIceCandidate.endOfCandidates(mid, 0, agent.localCredentials().ufrag()));
                }
            }
            case IceEvent.ConnectionStateChanged c -> states.iceConnection(c.state());
            case IceEvent.SelectedPairChanged p -> {
                RTCIceCandidatePair pair = toPair(p.pair());
                if (pair != null) {
                    iceTransport.selectedPairChanged(pair);
                }
            }
            case IceEvent.RoleChanged r ->
                    iceTransport.setRole(r.role() == IceRole.CONTROLLING ? RTCIceRole.CONTROLLING
                            : RTCIceRole.CONTROLLED);
            case IceEvent.CandidateError c -> onIceCandidateError.fire(
                    new RTCPeerConnectionIceErrorEvent(c.address(), c.port(), c.url(), c.errorCode(), c.errorText()));
            case IceEvent.Data d -> { } // never: the stack takes data itself
        }
    }

    /** The agent's selected pair as the W3C pair, or null before one is selected. */
    RTCIceCandidatePair selectedPair() {
        return stack.ice() == null ? null : toPair(stack.ice().selectedPair());
    }

    private RTCIceCandidatePair toPair(CandidatePair p) {
        if (p == null) {
            return null;
        }
        String ufrag = stack.ice().localCredentials().ufrag();
        String mid = negotiator.dataMid();
        return new RTCIceCandidatePair(RTCIceCandidate.of(p.local(), mid, ufrag),
                RTCIceCandidate.of(p.remote(), mid, null));
    }

    void close() {
        onIceCandidate.clear();
        onIceCandidateError.clear();
    }
}
