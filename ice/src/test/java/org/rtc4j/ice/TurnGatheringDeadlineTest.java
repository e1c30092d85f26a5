package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;

/**
 * A TURN server that never answers, or whose TCP connection fails, gives an icecandidateerror (701) within
 * 5 s, and gathering completes without it (virtual time: the agent is driven by hand).
 */
class TurnGatheringDeadlineTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TransportAddress HOST = IceSimulation.udp("10.0.0.1:5000");

    private final List<IceEvent> events = new ArrayList<>();
    private final List<Transmit> sent = new ArrayList<>();

    private IceAgent gather(String url) {
        IceAgent agent = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLING)
                .servers(List.of(IceServer.of("alice", "secret", url))).build());
        agent.addLocalAddress(HOST);
        agent.gather(T0);
        drain(agent);
        return agent;
    }

    private void drain(IceAgent agent) {
        for (Transmit t; (t = agent.pollTransmit()) != null; ) {
            sent.add(t);
        }
        for (IceEvent e; (e = agent.pollEvent()) != null; ) {
            events.add(e);
        }
    }

    /** Runs the agent's timers up to {@code until}; returns when gathering completed, or null. */
    private Instant runUntilComplete(IceAgent agent, Instant until) {
        return runUntilComplete(agent, T0, until);
    }

    private Instant runUntilComplete(IceAgent agent, Instant from, Instant until) {
        for (Instant now = from; agent.gatheringState() != IceGatheringState.COMPLETE; ) {
            Instant next = agent.pollTimeout();
            if (next == null || next.isAfter(until)) {
                return null;
            }
            now = next.isBefore(now) ? now : next;
            agent.handleTimeout(now);
            drain(agent);
            if (agent.gatheringState() == IceGatheringState.COMPLETE) {
                return now;
            }
        }
        return from;
    }

    private IceEvent.CandidateError error() {
        return events.stream().filter(e -> e instanceof IceEvent.CandidateError).map(e -> (IceEvent.CandidateError) e)
                .findFirst().orElseThrow();
    }

    @Test
    void aSilentServerIsGivenUpAfterFiveSeconds() {
        IceAgent agent = gather("turn:192.0.2.1:3478");
        assertThat(sent).isNotEmpty(); // the Allocate went out, and nothing will answer it
        Instant complete = runUntilComplete(agent, T0.plusSeconds(40));
        assertThat(complete).isNotNull();
        assertThat(Duration.between(T0, complete)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(error().errorCode()).isEqualTo(701);
        assertThat(error().url()).isEqualTo("turn:192.0.2.1:3478");
        assertThat(agent.localCandidates()).extracting(IceCandidate::type).containsExactly(CandidateType.HOST);
    }

    @Test
    void aFailedTcpConnectionIsReportedAtOnce() {
        IceAgent agent = gather("turn:192.0.2.1:3478?transport=tcp");
        Transmit allocate = sent.get(sent.size() - 1);
        agent.turnConnectionLost(T0.plusMillis(3), allocate.destination(), allocate.source(),
                "TCP to 192.0.2.1:3478: Connection refused");
        drain(agent);
        assertThat(agent.gatheringState()).isEqualTo(IceGatheringState.COMPLETE);
        assertThat(error().errorCode()).isEqualTo(701);
        assertThat(error().errorText()).contains("Connection refused");
    }

    /** The same after an ICE restart: the new session's Allocate, unanswered, is given up within 5 s too. */
    @Test
    void aSilentServerIsGivenUpAfterFiveSecondsAfterARestart() {
        IceAgent agent = gather("turn:192.0.2.1:3478");
        assertThat(runUntilComplete(agent, T0.plusSeconds(40))).isNotNull();
        Instant restart = T0.plusSeconds(10);
        agent.restart(restart);
        events.clear();
        sent.clear();
        drain(agent);
        assertThat(sent).as("the new Allocate").isNotEmpty();
        Instant complete = runUntilComplete(agent, restart, restart.plusSeconds(40));
        assertThat(complete).isNotNull();
        assertThat(Duration.between(restart, complete)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(error().errorCode()).isEqualTo(701);
        assertThat(agent.localCandidates()).extracting(IceCandidate::type).containsExactly(CandidateType.HOST);
    }
}
