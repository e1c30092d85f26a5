package org.rtc4j.testkit.sim;

import java.util.zip.CRC32;
import org.rtc4j.core.TransportAddress;

/** A datagram inside the simulation. The bytes are shared by copies and never written to. */
record Packet(TransportAddress source, TransportAddress destination, byte[] data, int crc) {

    static Packet of(TransportAddress source, TransportAddress destination, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return new Packet(source, destination, data, (int) crc.getValue());
    }

    /** The same bytes with other addresses (what a NAT makes of it). */
    Packet readdressed(TransportAddress newSource, TransportAddress newDestination) {
        return new Packet(newSource, newDestination, data, crc);
    }
}
