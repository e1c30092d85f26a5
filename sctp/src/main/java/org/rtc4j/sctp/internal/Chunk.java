package org.rtc4j.sctp.internal;

import java.util.List;

/**
 * One SCTP chunk, decoded (RFC 9260 3.3 and the extensions WebRTC uses). DATA, I-DATA and SACK have these
 * model forms for tests and tools; the association reads them in place on its hot path.
 */
public sealed interface Chunk {

    int type();

    /** DATA (RFC 9260 3.3.1). */
    record Data(int flags, int tsn, int stream, int ssn, int ppid, byte[] payload) implements Chunk {
        public int type() {
            return ChunkType.DATA;
        }
    }

    /** I-DATA (RFC 8260 2.1): {@code ppidOrFsn} is the PPID on the first fragment, the FSN on the others. */
    record IData(int flags, int tsn, int stream, int mid, int ppidOrFsn, byte[] payload) implements Chunk {
        public int type() {
            return ChunkType.I_DATA;
        }
    }

    /**
     * INIT or INIT-ACK (RFC 9260 3.3.2, 3.3.3). {@code cookie} is set on INIT-ACK only;
     * {@code zeroChecksumEdmid} is -1 when the parameter of RFC 9653 is absent.
     */
    record Init(boolean ack, int initiateTag, long aRwnd, int outboundStreams, int inboundStreams, int initialTsn,
                byte[] supportedExtensions, boolean forwardTsn, int zeroChecksumEdmid, byte[] cookie,
                List<byte[]> unrecognized) implements Chunk {
        public int type() {
            return ack ? ChunkType.INIT_ACK : ChunkType.INIT;
        }

        public boolean supports(int chunkType) {
            if (supportedExtensions == null) {
                return false;
            }
            for (byte b : supportedExtensions) {
                if ((b & 0xFF) == chunkType) {
                    return true;
                }
            }
            return false;
        }
    }

    /** SACK (RFC 9260 3.3.4): gap blocks as offsets from {@code cumTsn}. */
    record Sack(int cumTsn, long aRwnd, int[] gapStarts, int[] gapEnds, int[] dupTsns) implements Chunk {
        public int type() {
            return ChunkType.SACK;
        }
    }

    /** HEARTBEAT or HEARTBEAT-ACK (RFC 9260 3.3.5, 3.3.6): the sender-specific info, echoed back as it is. */
    record Heartbeat(boolean ack, byte[] info) implements Chunk {
        public int type() {
            return ack ? ChunkType.HEARTBEAT_ACK : ChunkType.HEARTBEAT;
        }
    }

    /** ABORT (RFC 9260 3.3.7): T set when the packet carries the peer's own tag. */
    record Abort(boolean tBit, List<ErrorCause> causes) implements Chunk {
        public int type() {
            return ChunkType.ABORT;
        }

        /** The first cause for a log or an event: the user's reason (cause 12, RFC 9260 3.3.10.12) or its code. */
        public String describe() {
            if (causes.isEmpty()) {
                return "";
            }
            ErrorCause c = causes.get(0);
            return c.code() == 12 ? ": " + new String(c.info(), java.nio.charset.StandardCharsets.UTF_8)
                    : ": cause " + c.code();
        }
    }

    /** SHUTDOWN (RFC 9260 3.3.8). */
    record Shutdown(int cumTsn) implements Chunk {
        public int type() {
            return ChunkType.SHUTDOWN;
        }
    }

    /** SHUTDOWN-ACK (RFC 9260 3.3.9). */
    record ShutdownAck() implements Chunk {
        public int type() {
            return ChunkType.SHUTDOWN_ACK;
        }
    }

    /** SHUTDOWN-COMPLETE (RFC 9260 3.3.13). */
    record ShutdownComplete(boolean tBit) implements Chunk {
        public int type() {
            return ChunkType.SHUTDOWN_COMPLETE;
        }
    }

    /** ERROR (RFC 9260 3.3.10). */
    record Error(List<ErrorCause> causes) implements Chunk {
        public int type() {
            return ChunkType.ERROR;
        }
    }

    /** COOKIE-ECHO (RFC 9260 3.3.11). */
    record CookieEcho(byte[] cookie) implements Chunk {
        public int type() {
            return ChunkType.COOKIE_ECHO;
        }
    }

    /** COOKIE-ACK (RFC 9260 3.3.12). */
    record CookieAck() implements Chunk {
        public int type() {
            return ChunkType.COOKIE_ACK;
        }
    }

    /** FORWARD-TSN (RFC 3758 3.2): per ordered stream, the last SSN skipped. */
    record ForwardTsn(int newCumTsn, int[] streams, int[] ssns) implements Chunk {
        public int type() {
            return ChunkType.FORWARD_TSN;
        }
    }

    /** I-FORWARD-TSN (RFC 8260 2.3.1): per stream and ordering, the last MID skipped. */
    record IForwardTsn(int newCumTsn, int[] streams, boolean[] unordered, int[] mids) implements Chunk {
        public int type() {
            return ChunkType.I_FORWARD_TSN;
        }
    }

    /** RE-CONFIG (RFC 6525 3.1): one or two parameters. */
    record ReConfig(List<ReConfigParam> params) implements Chunk {
        public int type() {
            return ChunkType.RE_CONFIG;
        }
    }

    /** PAD (RFC 4820 3): {@code padding} bytes of zeros that the receiver ignores. */
    record Pad(int padding) implements Chunk {
        public int type() {
            return ChunkType.PAD;
        }
    }

    /** A chunk type we do not know; the upper bits of the type say what to do with it (RFC 9260 3.2). */
    record Unknown(int chunkType, int flags, byte[] value) implements Chunk {
        public int type() {
            return chunkType;
        }
    }

    /** An error cause (RFC 9260 3.3.10): code and the bytes after the cause header. */
    record ErrorCause(int code, byte[] info) {
    }
}
