package org.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtc4j.testkit.Coturn;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;
import org.rtc4j.testkit.browser.Json;
import org.rtc4j.testkit.browser.PageServer;
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.LoopbackPump;
import org.rtc4j.testkit.pump.Pumped;

/**
 * The agent against Chromium's ICE: hand-written SDP carries the credentials and candidates (DTLS does not
 * exist here yet, so only ICE is judged). As the controlled side, Chromium's checks and USE-CANDIDATE select
 * the pair and Chromium answers the agent's checks; as the controlling side, Chromium accepts the agent's
 * nomination, and its DTLS ClientHello arrives through the agent as application data. The agent runs on the
 * test kit's pump over a loopback UDP socket, pumped while Chromium works.
 */
class IceChromiumTest {

    @BeforeEach
    void loopbackOnly() {
        LoopbackNamespace.require();
    }

    @ParameterizedTest
    @EnumSource(IceRole.class)
    void connectsWithChromium(IceRole ourRole) throws Exception {
        connect(ourRole, IceConfig.builder().role(ourRole).build());
    }

    /** The agent offers only a relayed candidate on coturn: Chromium's checks come through the relay. */
    @org.junit.jupiter.api.Test
    void connectsWithChromiumThroughCoturn() throws Exception {
        try (Coturn coturn = Coturn.start()) {
            CandidatePair pair = connect(IceRole.CONTROLLED, IceConfig.builder().role(IceRole.CONTROLLED)
                    .relayOnly(true).servers(IceServer.of("alice", "secret", "turn:127.0.0.1:" + coturn.port))
                    .build());
            assertThat(pair.local().type()).isEqualTo(CandidateType.RELAYED);
        }
    }

    private static CandidatePair connect(IceRole ourRole, IceConfig config) throws Exception {
        List<IceEvent> events = new CopyOnWriteArrayList<>();
        List<byte[]> data = new CopyOnWriteArrayList<>();
        IceAgent agent = new IceAgent(config);
        try (PageServer server = PageServer.start(); Chromium chromium = Chromium.launch();
                LoopbackPump pump = EnginePump.loopback()) {
            Pumped<IceEvent> pumped = pump.add(agent).onEvent(e -> {
                if (e instanceof IceEvent.Data d) {
                    byte[] b = new byte[d.data().remaining()];
                    d.data().get(b);
                    data.add(b);
                } else {
                    events.add(e);
                }
            });
            agent.addLocalAddress(pumped.address());
            server.classpath("/ice-peer.html", IceChromiumTest.class, "ice-peer.html");
            BrowserPage page = chromium.open(server.uri("/ice-peer.html"));
            IceCredentials ours = agent.localCredentials();
            agent.gather(pump.now());
            // The candidates are signaled as their events come out of the pump.
            assertThat(pump.runUntil(() -> events.stream().anyMatch(e -> e instanceof IceEvent.GatheringStateChanged g
                    && g.state() == IceGatheringState.COMPLETE), Duration.ofSeconds(5))).isTrue();
            List<String> ourCandidates = events.stream().filter(e -> e instanceof IceEvent.LocalCandidate)
                    .map(e -> ((IceEvent.LocalCandidate) e).candidate().toSdp()).toList();

            String remoteSdp;
            if (ourRole == IceRole.CONTROLLED) {
                remoteSdp = (String) whilePumping(pump, () -> page.evaluate("offer()", Duration.ofSeconds(10)));
                useRemote(agent, remoteSdp);
                whilePumping(pump, () -> page.evaluate("accept(" + Json.quote(sdp("answer", ours, ourCandidates)) + ")"));
            } else {
                remoteSdp = (String) whilePumping(pump, () -> page.evaluate(
                        "answer(" + Json.quote(sdp("offer", ours, ourCandidates)) + ")", Duration.ofSeconds(10)));
                useRemote(agent, remoteSdp);
            }
            // Chromium's loopback candidates: a UDP host one, and a TCP one kept out of the checks.
            assertThat(remoteSdp).contains("a=candidate:").contains(" udp ").contains("127.0.0.1");

            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) whilePumping(pump,
                    () -> page.evaluate("iceConnected(10000)", Duration.ofSeconds(15)));
            assertThat(pump.runUntil(() -> connected(agent), Duration.ofSeconds(10))).as(events.toString()).isTrue();
            assertThat(result.get("state")).as(result.toString()).isIn("connected", "completed");
            CandidatePair pair = agent.selectedPair();
            @SuppressWarnings("unchecked")
            Map<String, Object> chromiumPair = (Map<String, Object>) result.get("pair");
            assertThat(chromiumPair.get("remote")).isEqualTo(pair.local().address() + ":" + pair.local().port());
            assertThat(chromiumPair.get("local")).isEqualTo(pair.remote().address() + ":" + pair.remote().port());
            System.out.println("Chromium " + (ourRole == IceRole.CONTROLLED ? "controlling" : "controlled")
                    + (pair.isRelayed() ? " (we relay through coturn)" : "")
                    + ": ICE connected in " + Math.round(((Number) result.get("ms")).doubleValue()) + " ms, " + result);

            // Consent: over six seconds Chromium keeps answering our consent checks (and we its).
            pump.runFor(Duration.ofSeconds(6));
            assertThat(connected(agent)).as(events.toString()).isTrue();
            IceStats stats = agent.stats();
            assertThat(stats.unauthenticated()).isZero();
            assertThat(stats.malformed()).isZero();
            if (ourRole == IceRole.CONTROLLING) {
                // Chromium answered setup:actpass with active: its DTLS ClientHello (record type 22) rode on ICE.
                assertThat(data).anyMatch(b -> b.length > 13 && b[0] == 22);
            }
            return pair;
        }
    }

    private static boolean connected(IceAgent agent) {
        IceConnectionState s = agent.connectionState();
        return s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED;
    }

    /** Runs a call into the page on another thread while this one pumps the agent, and returns its result. */
    private static Object whilePumping(LoopbackPump pump, Callable<Object> call) throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(call.call());
            } catch (Exception | AssertionError e) {
                result.completeExceptionally(e);
            }
        });
        pump.runUntil(result::isDone, Duration.ofSeconds(20));
        return result.get(1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void useRemote(IceAgent agent, String sdp) {
        agent.setRemoteCredentials(attribute(sdp, "a=ice-ufrag:"), attribute(sdp, "a=ice-pwd:"));
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:")) {
                agent.addRemoteCandidate(line);
            }
        }
        agent.endOfRemoteCandidates();
    }

    private static String attribute(String sdp, String prefix) {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new AssertionError("no " + prefix + " in " + sdp);
    }

    /** A data-channel description with our ICE credentials and candidates (and a made-up fingerprint). */
    private static String sdp(String type, IceCredentials ours, List<String> candidates) {
        byte[] fingerprint = new byte[32];
        new SecureRandom().nextBytes(fingerprint);
        StringBuilder s = new StringBuilder()
                .append("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
                .append("a=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n")
                .append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=ice-ufrag:").append(ours.ufrag()).append("\r\n")
                .append("a=ice-pwd:").append(ours.password()).append("\r\n")
                .append("a=ice-options:trickle\r\n")
                .append("a=fingerprint:sha-256 ").append(HexFormat.ofDelimiter(":").withUpperCase().formatHex(fingerprint))
                .append("\r\n")
                .append("a=setup:").append(type.equals("offer") ? "actpass" : "active").append("\r\n")
                .append("a=mid:0\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n");
        for (String c : candidates) {
            s.append("a=").append(c).append("\r\n");
        }
        return s.append("a=end-of-candidates\r\n").toString();
    }
}
