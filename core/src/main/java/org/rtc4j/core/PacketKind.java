package org.rtc4j.core;

/**
 * What a datagram on a WebRTC 5-tuple carries, told apart by its first byte (RFC 7983 section 7, the
 * demultiplexing of STUN, ZRTP, DTLS, TURN channels and RTP/RTCP on one port). Lives in {@code core}
 * because the driver that routes datagrams sits above {@code ice}, {@code dtls} and {@code rtp}, which know
 * nothing of each other.
 */
public enum PacketKind {
    /** First byte 0..3: a STUN message. */
    STUN,
    /** 16..19: ZRTP (not used by WebRTC; dropped). */
    ZRTP,
    /** 20..63: a DTLS record. */
    DTLS,
    /** 64..79: TURN ChannelData (RFC 8656 section 12). */
    TURN_CHANNEL,
    /** 128..191: RTP or RTCP (see {@link #isRtcp}). */
    RTP,
    /** Anything else: drop it. */
    UNKNOWN;

    /** Classifies a datagram by its first byte (0..255). */
    public static PacketKind of(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 16 && b <= 19) {
            return ZRTP;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 64 && b <= 79) {
            return TURN_CHANNEL;
        }
        if (b >= 128 && b <= 191) {
            return RTP;
        }
        return UNKNOWN;
    }

    /** Classifies {@code datagram[offset]}; an empty datagram is {@link #UNKNOWN}. */
    public static PacketKind of(byte[] datagram, int offset, int length) {
        return length < 1 ? UNKNOWN : of(datagram[offset]);
    }

    /**
     * Whether an RTP-range packet is RTCP: its second byte (the RTCP packet type, or RTP's marker and payload
     * type) is 192..223 (RFC 5761 section 4: RTP payload types 64..95 are avoided so this holds).
     */
    public static boolean isRtcp(int secondByte) {
        int b = secondByte & 0xFF;
        return b >= 192 && b <= 223;
    }
}
