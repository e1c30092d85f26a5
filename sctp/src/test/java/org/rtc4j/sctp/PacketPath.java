package org.rtc4j.sctp;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.rtc4j.sctp.datachannel.DataChannels;

/** The allocation-free packet path of an association or of its data channels, for the in-test pumps. */
interface PacketPath<E> {

    void handlePacket(Instant now, ByteBuffer packet);

    void handleTimeout(Instant now);

    int pollPacket(Instant now, ByteBuffer dst);

    E pollEvent();

    Instant pollTimeout();

    static PacketPath<SctpEvent> of(SctpAssociation a) {
        return new PacketPath<>() {
            public void handlePacket(Instant now, ByteBuffer packet) {
                a.handlePacket(now, packet);
            }

            public void handleTimeout(Instant now) {
                a.handleTimeout(now);
            }

            public int pollPacket(Instant now, ByteBuffer dst) {
                return a.pollPacket(now, dst);
            }

            public SctpEvent pollEvent() {
                return a.pollEvent();
            }

            public Instant pollTimeout() {
                return a.pollTimeout();
            }
        };
    }

    static PacketPath<org.rtc4j.sctp.datachannel.DataChannelEvent> of(DataChannels d) {
        return new PacketPath<>() {
            public void handlePacket(Instant now, ByteBuffer packet) {
                d.handlePacket(now, packet);
            }

            public void handleTimeout(Instant now) {
                d.handleTimeout(now);
            }

            public int pollPacket(Instant now, ByteBuffer dst) {
                return d.pollPacket(now, dst);
            }

            public org.rtc4j.sctp.datachannel.DataChannelEvent pollEvent() {
                return d.pollEvent();
            }

            public Instant pollTimeout() {
                return d.pollTimeout();
            }
        };
    }
}
