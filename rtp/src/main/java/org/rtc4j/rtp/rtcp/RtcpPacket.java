package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;

/**
 * One RTCP packet of a compound (RFC 3550 section 6.1) or reduced-size (RFC 5506) RTCP datagram. Every
 * packet starts with the common header; {@link RtcpCompound} reads and writes whole datagrams.
 *
 * <pre>
 *  0                   1                   2                   3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public sealed interface RtcpPacket permits SenderReport, ReceiverReport, SourceDescription, Goodbye,
        ApplicationDefined, ExtendedReport, GenericNack, PictureLossIndication, FullIntraRequest,
        ReceiverEstimatedMaxBitrate, TransportWideFeedback, CongestionControlFeedback, UnknownRtcp {

    int SR = 200;
    int RR = 201;
    int SDES = 202;
    int BYE = 203;
    int APP = 204;
    /** Transport layer feedback (RFC 4585 section 6.1). */
    int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 section 6.1). */
    int PSFB = 206;
    int XR = 207;

    /** Bytes on the wire, header included (a multiple of 4). */
    int length();

    /** Writes the packet at the buffer's position and moves it past. */
    void write(ByteBuffer dst);

    /** Writes the common header for a packet of {@code length} bytes. */
    static void header(ByteBuffer dst, int count, int type, int length) {
        if (count < 0 || count > 31) {
            throw new IllegalArgumentException("RTCP count " + count);
        }
        if (length % 4 != 0 || length < 4 || length > 4 * 65536) {
            throw new IllegalArgumentException("RTCP length " + length);
        }
        dst.put((byte) (0x80 | count));
        dst.put((byte) type);
        dst.putShort((short) (length / 4 - 1));
    }
}
