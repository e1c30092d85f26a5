package org.rtc4j.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidatePair;

/**
 * The one peer a {@link PeerStack}'s DTLS association is bound to (issue 18): the remote address where its
 * handshake starts (the client's sending pair when it sends its ClientHello; for the server, its sending pair
 * when the first DTLS datagram can be answered), then the selected pair's. Only that peer, and where ICE sends
 * DTLS now, get through: anyone else who passed ICE's checks (whoever read the SDP knows its credentials) is
 * dropped and counted, so DTLS never sees their forged flights and alerts. Until DTLS is bound, datagrams wait
 * here (bounded; the peer's first flight can beat its answer or ICE's last check).
 */
final class DtlsBinding {

    /** DTLS datagrams from before DTLS was bound to a peer (a ClientHello can beat the answer), kept a little. */
    private static final int MAX_EARLY = 16;
    /** The largest such datagram kept: a handshake flight keeps to the path's MTU. */
    private static final int MAX_EARLY_BYTES = 2048;

    /** A DTLS datagram kept until DTLS is bound to a peer, with the remote address it came from. */
    private record Early(TransportAddress from, byte[] bytes) { }

    private final ArrayDeque<Early> early = new ArrayDeque<>();
    /** The remote transport address the association is bound to, or null. */
    private TransportAddress peer;
    /** DTLS datagrams from another address that passed ICE's checks: dropped. */
    private long foreign;

    /** DTLS is bound to {@code remote} from now on: where the client's ClientHello goes, then the selected pair. */
    void bind(TransportAddress remote) {
        peer = remote;
    }

    /**
     * Keeps a DTLS datagram that came from {@code from} before DTLS is bound (copied, bounded; beyond the bound
     * it is lost as on the wire, and the peer's resend comes later). False when DTLS is bound already or the
     * datagram came on no known pair: then {@link #admits} decides.
     */
    boolean keep(TransportAddress from, ByteBuffer datagram) {
        if (from == null || peer != null) {
            return false;
        }
        if (early.size() < MAX_EARLY && datagram.remaining() <= MAX_EARLY_BYTES) {
            byte[] copy = new byte[datagram.remaining()];
            datagram.duplicate().get(copy);
            early.add(new Early(from, copy));
        }
        return true;
    }

    /** Whether a datagram from {@code from} goes to DTLS: the bound peer's, or where ICE sends now; else counted. */
    boolean admits(TransportAddress from, CandidatePair sending) {
        if (from != null
                && (from.equals(peer) || sending != null && from.equals(sending.remote().transportAddress()))) {
            return true;
        }
        foreign++;
        return false;
    }

    /**
     * The next kept datagram of the peer once DTLS can answer ({@code sending} is ICE's sending pair; the server
     * binds to its remote here if nothing bound DTLS before), or null; kept ones from anyone else are dropped
     * and counted on the way.
     */
    ByteBuffer release(CandidatePair sending) {
        if (sending == null || early.isEmpty()) {
            return null;
        }
        if (peer == null) {
            peer = sending.remote().transportAddress();
        }
        for (Early e; (e = early.poll()) != null; ) {
            if (admits(e.from(), sending)) {
                return ByteBuffer.wrap(e.bytes());
            }
        }
        return null;
    }

    /** DTLS datagrams from an address other than the bound peer's, dropped. */
    long foreign() {
        return foreign;
    }
}
