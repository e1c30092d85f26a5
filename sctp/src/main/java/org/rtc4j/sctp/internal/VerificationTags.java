package org.rtc4j.sctp.internal;

import java.util.List;
import org.rtc4j.core.Bytes;
import org.rtc4j.sctp.SctpState;

/** Which verification tag each chunk must carry (RFC 9260 8.5), and the answer to out-of-the-blue packets (8.4). */
public final class VerificationTags {

    private final AssociationState st;
    private final PacketWriter writer;

    public VerificationTags(AssociationState st, PacketWriter writer) {
        this.st = st;
        this.writer = writer;
    }

    /** Whether a chunk of {@code type} may carry {@code vtag}; INIT only as the first chunk of its packet. */
    public boolean accepts(int type, int flags, int vtag, boolean first) {
        switch (type) {
            case ChunkType.INIT:
                return vtag == 0 && first;
            case ChunkType.ABORT:
            case ChunkType.SHUTDOWN_COMPLETE:
                if (st.state == SctpState.CLOSED) {
                    return true; // nothing to tear down; handled as out of the blue
                }
                return (flags & 1) == 0 ? vtag == st.localTag : vtag == st.peerTag;
            case ChunkType.COOKIE_ECHO:
                return true; // checked against the cookie (RFC 9260 5.2.4)
            case ChunkType.SHUTDOWN_ACK:
                return st.state == SctpState.CLOSED || vtag == st.localTag;
            default:
                if (st.state == SctpState.CLOSED) {
                    return true; // out of the blue, answered below
                }
                return vtag == st.localTag;
        }
    }

    /** RFC 9260 8.4: a packet for no association, answered with the peer's own tag. */
    public void outOfTheBlue(int type) {
        int vtag = (int) Bytes.getU32(st.rxBuf, 4);
        if (type == ChunkType.SHUTDOWN_ACK) {
            st.raw.add(writer.packet(vtag, new Chunk.ShutdownComplete(true), true));
        } else if (type != ChunkType.SHUTDOWN_COMPLETE && type != ChunkType.ABORT && st.raw.size() < 4) {
            st.raw.add(writer.packet(vtag, new Chunk.Abort(true, List.of()), true)); // 8.4 (8)
        }
    }
}
