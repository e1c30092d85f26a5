package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two connections in one JVM over real UDP sockets on loopback: the sample of DESIGN.md, and the spec's errors. */
@Timeout(60)
class TwoPeersTest {

    @Test
    void designSampleWorksAsWritten() throws Exception {
        try (var pc1 = new RTCPeerConnection(RTCConfiguration.defaults());
             var pc2 = new RTCPeerConnection(RTCConfiguration.defaults())) {
            var got = new LinkedBlockingQueue<String>();
            RTCDataChannel chat = pc1.createDataChannel("chat");
            pc2.onDataChannel(ch -> ch.onMessage(m -> got.add(m.text())));
            chat.onOpen(() -> chat.send("hello"));

            pc1.setLocalDescription().join();
            pc2.setRemoteDescription(pc1.localDescription()).join();
            pc2.setLocalDescription().join();
            pc1.setRemoteDescription(pc2.localDescription()).join();
            pc1.onIceCandidate(c -> pc2.addIceCandidate(c));
            pc2.onIceCandidate(c -> pc1.addIceCandidate(c));

            assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("hello");
            assertThat(pc1.connectionState()).isEqualTo(RTCPeerConnectionState.CONNECTED);
            assertThat(pc1.signalingState()).isEqualTo(RTCSignalingState.STABLE);
            assertThat(pc1.sctp().state()).isEqualTo(RTCSctpTransportState.CONNECTED);
            assertThat(pc1.sctp().transport().state()).isEqualTo(RTCDtlsTransportState.CONNECTED);
            assertThat(pc1.sctp().transport().iceTransport().getSelectedCandidatePair()).isNotNull();
            assertThat(chat.id()).isNotNull();
        }
    }

    @Test
    void textAndBinaryBothWaysWithStats() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            var at2 = new LinkedBlockingQueue<MessageEvent>();
            var at1 = new LinkedBlockingQueue<MessageEvent>();
            RTCDataChannel a = pc1.createDataChannel("a", RTCDataChannelInit.defaults().withProtocol("p1"));
            CompletableFuture<RTCDataChannel> remote = new CompletableFuture<>();
            pc2.onDataChannel(ch -> {
                ch.onMessage(at2::add);
                remote.complete(ch);
            });
            a.onMessage(at1::add);
            PeerPair.connect(pc1, pc2);
            RTCDataChannel b = remote.get(20, TimeUnit.SECONDS);
            assertThat(b.label()).isEqualTo("a");
            assertThat(b.protocol()).isEqualTo("p1");
            awaitOpen(a);
            a.send("text one");
            a.send(new byte[] {1, 2, 3});
            b.send(java.nio.ByteBuffer.wrap(new byte[70_000]));
            b.send("back");
            MessageEvent m1 = at2.poll(10, TimeUnit.SECONDS);
            MessageEvent m2 = at2.poll(10, TimeUnit.SECONDS);
            assertThat(m1.isBinary()).isFalse();
            assertThat(m1.text()).isEqualTo("text one");
            assertThat(m2.isBinary()).isTrue();
            assertThat(m2.bytes()).containsExactly(1, 2, 3);
            MessageEvent r1 = at1.poll(10, TimeUnit.SECONDS);
            assertThat(r1.isBinary()).isTrue();
            assertThat(r1.size()).isEqualTo(70_000);
            assertThat(at1.poll(10, TimeUnit.SECONDS).text()).isEqualTo("back");

            RTCStatsReport stats = pc1.getStats().get(10, TimeUnit.SECONDS);
            assertThat(stats.ofType("transport")).hasSize(1);
            assertThat(stats.ofType("candidate-pair")).hasSize(1);
            assertThat(stats.ofType("certificate")).hasSize(2);
            assertThat(stats.ofType("local-candidate")).isNotEmpty();
            assertThat(stats.ofType("remote-candidate")).isNotEmpty();
            RTCStats dc = stats.ofType("data-channel").get(0);
            assertThat(dc.get("messagesSent")).isEqualTo(2L);
            assertThat(dc.get("bytesReceived")).isEqualTo(70_004L);
            assertThat(stats.ofType("transport").get(0).get("dtlsState")).isEqualTo("connected");
        }
    }

    @Test
    void closeFromOneSideClosesTheChannelOnTheOther() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            RTCDataChannel a = pc1.createDataChannel("x");
            CompletableFuture<RTCDataChannel> remote = new CompletableFuture<>();
            pc2.onDataChannel(remote::complete);
            PeerPair.connect(pc1, pc2);
            RTCDataChannel b = remote.get(20, TimeUnit.SECONDS);
            awaitOpen(a);
            CompletableFuture<Void> closedA = new CompletableFuture<>();
            CompletableFuture<Void> closedB = new CompletableFuture<>();
            a.onClose(() -> closedA.complete(null));
            b.onClose(() -> closedB.complete(null));
            b.close();
            closedA.get(10, TimeUnit.SECONDS);
            closedB.get(10, TimeUnit.SECONDS);
            assertThat(a.readyState()).isEqualTo(RTCDataChannelState.CLOSED);

            RTCDataChannel c = pc1.createDataChannel("y");
            awaitOpen(c);
            CompletableFuture<Void> cClosed = new CompletableFuture<>();
            c.onClose(() -> cClosed.complete(null));
            pc2.close();
            cClosed.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void specErrors() throws Exception {
        try (var pc = new RTCPeerConnection()) {
            var cand = RTCIceCandidate.of("candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host");
            assertThatThrownBy(() -> pc.addIceCandidate(cand).join()).hasCauseInstanceOf(InvalidStateError.class);
            assertThatThrownBy(() -> pc.createAnswer().join()).hasCauseInstanceOf(InvalidStateError.class);
            assertThatThrownBy(() -> pc.setRemoteDescription(RTCSessionDescription.offer("v=0 garbage")).join())
                    .hasCauseInstanceOf(SyntaxError.class);
            assertThatThrownBy(() -> pc.createDataChannel("x", RTCDataChannelInit.defaults().withMaxRetransmits(1)
                    .withMaxPacketLifeTime(5))).isInstanceOf(TypeError.class);
            RTCDataChannel ch = pc.createDataChannel("x");
            assertThatThrownBy(() -> ch.send("too early")).isInstanceOf(InvalidStateError.class)
                    .hasMessageContaining("onOpen");
            assertThatThrownBy(() -> RTCIceCandidate.of("candidate:garbage")).isInstanceOf(OperationError.class);
            pc.close();
            assertThat(pc.signalingState()).isEqualTo(RTCSignalingState.CLOSED);
            assertThat(ch.readyState()).isEqualTo(RTCDataChannelState.CLOSED);
            assertThatThrownBy(() -> pc.createOffer().join()).hasCauseInstanceOf(InvalidStateError.class);
            assertThatThrownBy(() -> pc.createDataChannel("y")).isInstanceOf(InvalidStateError.class);
        }
    }

    @Test
    void signalingStatesAndRollback() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            List<RTCSignalingState> states = new CopyOnWriteArrayList<>();
            pc1.onSignalingStateChange(states::add);
            CompletableFuture<Void> needed = new CompletableFuture<>();
            pc1.onNegotiationNeeded(() -> needed.complete(null));
            pc1.createDataChannel("n");
            needed.get(5, TimeUnit.SECONDS);
            RTCSessionDescription offer = pc1.createOffer().join();
            pc1.setLocalDescription(offer).join();
            assertThat(pc1.signalingState()).isEqualTo(RTCSignalingState.HAVE_LOCAL_OFFER);
            assertThat(pc1.pendingLocalDescription()).isNotNull();
            assertThat(pc1.currentLocalDescription()).isNull();
            pc1.setLocalDescription(RTCSessionDescription.rollback()).join();
            assertThat(pc1.signalingState()).isEqualTo(RTCSignalingState.STABLE);
            assertThat(pc1.localDescription()).isNull();
            pc2.setRemoteDescription(offer).join();
            assertThat(pc2.signalingState()).isEqualTo(RTCSignalingState.HAVE_REMOTE_OFFER);
            pc2.setRemoteDescription(RTCSessionDescription.rollback()).join();
            assertThat(pc2.signalingState()).isEqualTo(RTCSignalingState.STABLE);
            assertThatThrownBy(() -> pc1.setLocalDescription(RTCSessionDescription.answer("")).join())
                    .hasCauseInstanceOf(InvalidStateError.class);
            assertThat(states).containsExactly(RTCSignalingState.HAVE_LOCAL_OFFER, RTCSignalingState.STABLE);
        }
    }

    @Test
    void withoutTrickleAllCandidatesAreInTheDescription() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            RTCDataChannel a = pc1.createDataChannel("nt");
            CompletableFuture<Void> g1 = new CompletableFuture<>();
            pc1.onIceGatheringStateChange(s -> {
                if (s == RTCIceGatheringState.COMPLETE) {
                    g1.complete(null);
                }
            });
            pc1.setLocalDescription().join();
            g1.get(10, TimeUnit.SECONDS);
            String offer = pc1.localDescription().sdp();
            assertThat(offer).contains("a=candidate:").contains("a=end-of-candidates");
            pc2.setRemoteDescription(pc1.localDescription()).join();
            CompletableFuture<Void> g2 = new CompletableFuture<>();
            pc2.onIceGatheringStateChange(s -> {
                if (s == RTCIceGatheringState.COMPLETE) {
                    g2.complete(null);
                }
            });
            pc2.setLocalDescription().join();
            g2.get(10, TimeUnit.SECONDS);
            pc1.setRemoteDescription(pc2.localDescription()).join();
            awaitOpen(a);
        }
    }

    @Test
    void iceRestartKeepsTheChannelWorking() throws Exception {
        try (var pc1 = new RTCPeerConnection(); var pc2 = new RTCPeerConnection()) {
            RTCDataChannel a = pc1.createDataChannel("r");
            var got = new LinkedBlockingQueue<String>();
            pc2.onDataChannel(ch -> ch.onMessage(m -> got.add(m.text())));
            PeerPair.connect(pc1, pc2);
            awaitOpen(a);
            String ufrag = ufrag(pc1.localDescription().sdp());
            pc1.restartIce();
            pc1.setLocalDescription().join();
            assertThat(ufrag(pc1.localDescription().sdp())).isNotEqualTo(ufrag);
            pc2.setRemoteDescription(pc1.localDescription()).join();
            pc2.setLocalDescription().join();
            pc1.setRemoteDescription(pc2.localDescription()).join();
            a.send("after restart");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("after restart");
        }
    }

    private static String ufrag(String sdp) {
        return sdp.lines().filter(l -> l.startsWith("a=ice-ufrag:")).findFirst().orElseThrow();
    }

    static void awaitOpen(RTCDataChannel ch) throws Exception {
        CompletableFuture<Void> open = new CompletableFuture<>();
        ch.onOpen(() -> open.complete(null));
        open.get(20, TimeUnit.SECONDS);
    }
}
