package org.rtc4j.bench.webrtc;

import org.rtc4j.RTCPeerConnection;

/** The classic two-peers-in-one-JVM exchange the peer benchmarks share. */
final class PeerPair {

    private PeerPair() {
    }

    /** Trickles candidates both ways and runs offer and answer (implicit createOffer / createAnswer). */
    static void connect(RTCPeerConnection offerer, RTCPeerConnection answerer) {
        offerer.onIceCandidate(c -> answerer.addIceCandidate(c));
        answerer.onIceCandidate(c -> offerer.addIceCandidate(c));
        offerer.setLocalDescription().join();
        answerer.setRemoteDescription(offerer.localDescription()).join();
        answerer.setLocalDescription().join();
        offerer.setRemoteDescription(answerer.localDescription()).join();
    }
}
