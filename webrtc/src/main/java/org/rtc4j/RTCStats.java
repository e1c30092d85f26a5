package org.rtc4j;

import java.util.Map;

/**
 * One stats object (W3C webrtc-stats): its {@code type} ("transport", "candidate-pair", "local-candidate",
 * "remote-candidate", "certificate", "data-channel", "peer-connection", "inbound-rtp", "outbound-rtp",
 * "remote-inbound-rtp", "remote-outbound-rtp", "codec"), {@code id}, {@code timestamp}
 * (milliseconds since the epoch) and the members of that type by their specification names.
 */
public record RTCStats(String type, String id, double timestamp, Map<String, Object> members) {

    public RTCStats {
        members = Map.copyOf(members);
    }

    /** A member by its specification name, or {@code null}. */
    public Object get(String name) {
        return members.get(name);
    }
}
