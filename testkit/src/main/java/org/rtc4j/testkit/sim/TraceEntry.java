package org.rtc4j.testkit.sim;

import java.time.Duration;
import org.rtc4j.core.TransportAddress;

/**
 * One step of a simulation: when (since the start), what, where (a link direction, a host, a NAT or an
 * engine), and the datagram's addresses, length and CRC-32 (zero for steps without a datagram).
 */
public record TraceEntry(
        Duration at,
        TraceKind kind,
        String place,
        TransportAddress source,
        TransportAddress destination,
        int length,
        int crc) {

    @Override
    public String toString() {
        String time = String.format("%d.%09d", at.getSeconds(), at.getNano());
        if (source == null) {
            return time + " " + kind + " " + place;
        }
        return time + " " + kind + " " + place + " " + source + " -> " + destination + " " + length + "B crc="
                + Integer.toHexString(crc);
    }
}
