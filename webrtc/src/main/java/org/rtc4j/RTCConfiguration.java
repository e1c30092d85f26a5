package org.rtc4j;

import java.util.List;

/**
 * The standard configuration of a connection (W3C section 4.2.1). Immutable: start from {@link #defaults()}
 * and change with the {@code with...} methods. Options the standard does not have are in {@link RTCSettings}.
 *
 * @param iceCandidatePoolSize candidates gathered before {@code setLocalDescription} (0..255)
 */
public record RTCConfiguration(List<RTCIceServer> iceServers, RTCIceTransportPolicy iceTransportPolicy,
                               RTCBundlePolicy bundlePolicy, List<RTCCertificate> certificates,
                               int iceCandidatePoolSize) {

    public RTCConfiguration {
        iceServers = List.copyOf(iceServers);
        certificates = List.copyOf(certificates);
        if (iceTransportPolicy == null || bundlePolicy == null) {
            throw new TypeError("iceTransportPolicy and bundlePolicy are required");
        }
        if (iceCandidatePoolSize < 0 || iceCandidatePoolSize > 255) {
            throw new TypeError("iceCandidatePoolSize must be 0..255, not " + iceCandidatePoolSize);
        }
    }

    /** No ICE servers, all candidates, balanced bundling, a fresh certificate per connection. */
    public static RTCConfiguration defaults() {
        return new RTCConfiguration(List.of(), RTCIceTransportPolicy.ALL, RTCBundlePolicy.BALANCED, List.of(), 0);
    }

    public RTCConfiguration withIceServers(RTCIceServer... servers) {
        return withIceServers(List.of(servers));
    }

    public RTCConfiguration withIceServers(List<RTCIceServer> servers) {
        return new RTCConfiguration(servers, iceTransportPolicy, bundlePolicy, certificates, iceCandidatePoolSize);
    }

    public RTCConfiguration withIceTransportPolicy(RTCIceTransportPolicy policy) {
        return new RTCConfiguration(iceServers, policy, bundlePolicy, certificates, iceCandidatePoolSize);
    }

    public RTCConfiguration withBundlePolicy(RTCBundlePolicy policy) {
        return new RTCConfiguration(iceServers, iceTransportPolicy, policy, certificates, iceCandidatePoolSize);
    }

    public RTCConfiguration withCertificates(RTCCertificate... value) {
        return new RTCConfiguration(iceServers, iceTransportPolicy, bundlePolicy, List.of(value), iceCandidatePoolSize);
    }

    public RTCConfiguration withIceCandidatePoolSize(int size) {
        return new RTCConfiguration(iceServers, iceTransportPolicy, bundlePolicy, certificates, size);
    }
}
