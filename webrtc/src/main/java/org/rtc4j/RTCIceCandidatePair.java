package org.rtc4j;

/** The pair of candidates ICE selected (W3C section 5.6.1, RTCIceCandidatePair). */
public record RTCIceCandidatePair(RTCIceCandidate local, RTCIceCandidate remote) {

    /** {@code host udp 127.0.0.1:5000 -> host udp 127.0.0.1:6000}. */
    public String describe() {
        return local.type() + " " + local.protocol() + " " + hostPort(local) + " -> " + remote.type() + " "
                + remote.protocol() + " " + hostPort(remote);
    }

    private static String hostPort(RTCIceCandidate c) {
        String a = c.address();
        return (a.indexOf(':') >= 0 ? "[" + a + "]" : a) + ":" + c.port();
    }
}
