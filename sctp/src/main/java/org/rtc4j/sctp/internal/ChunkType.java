package org.rtc4j.sctp.internal;

/** Chunk type codes (RFC 9260 3.2, RFC 3758, RFC 6525, RFC 8260, RFC 4820). */
public final class ChunkType {

    public static final int DATA = 0;
    public static final int INIT = 1;
    public static final int INIT_ACK = 2;
    public static final int SACK = 3;
    public static final int HEARTBEAT = 4;
    public static final int HEARTBEAT_ACK = 5;
    public static final int ABORT = 6;
    public static final int SHUTDOWN = 7;
    public static final int SHUTDOWN_ACK = 8;
    public static final int ERROR = 9;
    public static final int COOKIE_ECHO = 10;
    public static final int COOKIE_ACK = 11;
    public static final int SHUTDOWN_COMPLETE = 14;
    public static final int I_DATA = 64;
    public static final int RE_CONFIG = 130;
    /** PAD (RFC 4820): fills a packet to a size, e.g. a path MTU probe (RFC 8899 6.2). */
    public static final int PAD = 0x84;
    public static final int FORWARD_TSN = 192;
    public static final int I_FORWARD_TSN = 194;

    /** DATA / I-DATA flags (RFC 9260 3.3.1, RFC 7053 for I). */
    public static final int FLAG_END = 0x01;
    public static final int FLAG_BEGIN = 0x02;
    public static final int FLAG_UNORDERED = 0x04;
    public static final int FLAG_IMMEDIATE = 0x08;

    private ChunkType() {
    }
}
