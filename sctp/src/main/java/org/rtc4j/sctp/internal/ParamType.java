package org.rtc4j.sctp.internal;

/** Parameter types of INIT / INIT-ACK (RFC 9260 3.3.2, RFC 5061, RFC 3758, RFC 9653) and RE-CONFIG (RFC 6525). */
public final class ParamType {

    public static final int HEARTBEAT_INFO = 1;
    public static final int STATE_COOKIE = 7;
    public static final int UNRECOGNIZED_PARAMETER = 8;
    public static final int COOKIE_PRESERVATIVE = 9;
    public static final int OUTGOING_SSN_RESET = 13;
    public static final int INCOMING_SSN_RESET = 14;
    public static final int SSN_TSN_RESET = 15;
    public static final int RECONFIG_RESPONSE = 16;
    public static final int ADD_OUTGOING_STREAMS = 17;
    public static final int ADD_INCOMING_STREAMS = 18;
    public static final int ZERO_CHECKSUM_ACCEPTABLE = 0x8001;
    public static final int SUPPORTED_EXTENSIONS = 0x8008;
    public static final int FORWARD_TSN_SUPPORTED = 0xC000;

    /** Error Detection Method Identifier of RFC 9653: the lower layer is DTLS. */
    public static final int EDMID_DTLS = 1;

    private ParamType() {
    }
}
