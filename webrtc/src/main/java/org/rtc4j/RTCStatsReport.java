package org.rtc4j;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The result of {@link RTCPeerConnection#getStats()} (W3C section 8.3): stats objects by id. */
public final class RTCStatsReport {

    private final Map<String, RTCStats> stats = new LinkedHashMap<>();

    RTCStatsReport(List<RTCStats> list) {
        for (RTCStats s : list) {
            stats.put(s.id(), s);
        }
    }

    public RTCStats get(String id) {
        return stats.get(id);
    }

    public Collection<RTCStats> values() {
        return stats.values();
    }

    /** The stats of one type, e.g. {@code "data-channel"}. */
    public List<RTCStats> ofType(String type) {
        return stats.values().stream().filter(s -> s.type().equals(type)).toList();
    }

    public int size() {
        return stats.size();
    }

    @Override
    public String toString() {
        return stats.values().toString();
    }
}
