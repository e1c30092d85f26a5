package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Reads and writes RTCP datagrams: compound packets (RFC 3550 section 6.1) and reduced-size ones (RFC 5506 section
 * 3.4, which may hold a single feedback packet with no report first). The reader accepts either: it checks
 * every header and length, and keeps a packet of an unknown type, or a known one whose body does not parse, as
 * {@link UnknownRtcp}, so one odd packet never costs the rest.
 */
public final class RtcpCompound {

    /** Bounds the work one datagram can cause. */
    public static final int MAX_PACKETS = 64;

    private RtcpCompound() {
    }

    /** The packets between the buffer's position and limit (the buffer is not moved). */
    public static List<RtcpPacket> read(ByteBuffer datagram) throws ParseException {
        ByteReader r = ByteReader.of(datagram);
        if (r.remaining() < 4) {
            throw new ParseException("RTCP datagram of " + r.remaining() + " bytes");
        }
        List<RtcpPacket> out = new ArrayList<>(4);
        while (r.hasRemaining()) {
            if (out.size() == MAX_PACKETS) {
                throw new ParseException("more than " + MAX_PACKETS + " RTCP packets in one datagram");
            }
            int start = r.position();
            int b0 = r.u8();
            if ((b0 >>> 6) != 2) {
                throw new ParseException("RTCP version " + (b0 >>> 6) + " at offset " + start);
            }
            int type = r.u8();
            int length = 4 * (r.u16() + 1);
            r.position(start);
            r.require(length, "RTCP packet of type " + type);
            ByteReader whole = r.sub(length);
            int bodyLength = length - 4;
            if ((b0 & 0x20) != 0) {
                // RFC 3550 6.4.1: the last octet counts the padding, itself included.
                int pad = whole.u8At(length - 1);
                if (pad == 0 || pad > bodyLength) {
                    throw new ParseException("RTCP padding of " + pad + " in a packet of " + length);
                }
                bodyLength -= pad;
            }
            whole.position(4);
            ByteReader body = whole.sub(bodyLength);
            int count = b0 & 0x1F;
            RtcpPacket p;
            try {
                p = readBody(type, count, body);
            } catch (ParseException | IllegalArgumentException e) {
                p = null;
            }
            if (p == null || p instanceof UnknownRtcp) {
                whole.position(0);
                p = new UnknownRtcp(type, count, whole.bytes(length), p == null);
            }
            out.add(p);
        }
        return out;
    }

    private static RtcpPacket readBody(int type, int count, ByteReader body) throws ParseException {
        return switch (type) {
            case RtcpPacket.SR -> SenderReport.read(body, count);
            case RtcpPacket.RR -> ReceiverReport.read(body, count);
            case RtcpPacket.SDES -> SourceDescription.read(body, count);
            case RtcpPacket.BYE -> Goodbye.read(body, count);
            case RtcpPacket.APP -> ApplicationDefined.read(body, count);
            case RtcpPacket.XR -> ExtendedReport.read(body);
            case RtcpPacket.RTPFB -> switch (count) {
                case GenericNack.FMT -> GenericNack.read(body);
                case TransportWideFeedback.FMT -> TransportWideFeedback.read(body);
                case CongestionControlFeedback.FMT -> CongestionControlFeedback.read(body);
                default -> new UnknownRtcp(type, count, new byte[0], false);
            };
            case RtcpPacket.PSFB -> switch (count) {
                case PictureLossIndication.FMT -> PictureLossIndication.read(body);
                case FullIntraRequest.FMT -> FullIntraRequest.read(body);
                case ReceiverEstimatedMaxBitrate.FMT -> {
                    int sender = body.i32();
                    body.i32();
                    yield ReceiverEstimatedMaxBitrate.isRemb(body)
                            ? ReceiverEstimatedMaxBitrate.read(body, sender)
                            : new UnknownRtcp(type, count, new byte[0], false);
                }
                default -> new UnknownRtcp(type, count, new byte[0], false);
            };
            default -> new UnknownRtcp(type, count, new byte[0], false);
        };
    }

    /** The bytes of all the packets together. */
    public static int length(List<? extends RtcpPacket> packets) {
        int n = 0;
        for (RtcpPacket p : packets) {
            n += p.length();
        }
        return n;
    }

    /** Writes the packets one after the other at the buffer's position; returns the bytes written. */
    public static int write(List<? extends RtcpPacket> packets, ByteBuffer dst) {
        int start = dst.position();
        for (RtcpPacket p : packets) {
            p.write(dst);
        }
        return dst.position() - start;
    }

    /** The packets as one new datagram. */
    public static byte[] toBytes(List<? extends RtcpPacket> packets) {
        ByteBuffer b = ByteBuffer.allocate(length(packets));
        write(packets, b);
        return b.array();
    }
}
