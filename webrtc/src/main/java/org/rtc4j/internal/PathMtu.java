package org.rtc4j.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.CandidateType;

/**
 * The largest UDP payload the first hop of a candidate pair carries: what SCTP's path MTU discovery may probe
 * up to (RFC 8899 section 5.1.2, MAX_PLPMTU from the local interface's MTU). The path beyond may carry less;
 * the probes find out.
 */
public final class PathMtu {

    /** A TURN Send indication around a datagram (STUN header, XOR-PEER-ADDRESS for IPv6, DATA header, padding). */
    static final int TURN_OVERHEAD = 20 + 24 + 4 + 4;
    static final int UDP_HEADER = 8;

    /** Interface MTUs by address, so tests need no real interfaces. */
    @FunctionalInterface
    public interface Interfaces {
        /** The MTU of the interface that owns {@code address}, or -1 when none does. */
        int mtu(InetAddress address);
    }

    private PathMtu() {
    }

    /** The system's interfaces. */
    public static int systemMtu(InetAddress address) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            return nif == null ? -1 : nif.getMTU();
        } catch (SocketException e) {
            return -1;
        }
    }

    /**
     * The largest UDP payload for {@code pair}: a host candidate's own interface; for any other local candidate
     * (its address is a NAT's or a relay's) the smallest MTU among the interfaces of {@code bound}. A relayed
     * candidate leaves room for TURN's framing. {@code -1} when nothing is known.
     */
    public static int maxUdpPayload(CandidatePair pair, Collection<TransportAddress> bound, Interfaces interfaces) {
        int mtu = -1;
        if (pair.local().type() == CandidateType.HOST && pair.local().ip() != null) {
            mtu = interfaces.mtu(pair.local().ip());
        } else {
            for (TransportAddress b : bound) {
                int m = interfaces.mtu(b.ip());
                if (m > 0 && (mtu < 0 || m < mtu)) {
                    mtu = m;
                }
            }
        }
        if (mtu <= 0) {
            return -1;
        }
        // Outer IP header: the remote address's family decides it (IPv4 20, IPv6 40 bytes; 40 when unknown).
        TransportAddress remote = pair.remote().transportAddress();
        int ip = remote == null || remote.isIpv6() ? 40 : 20;
        int turn = pair.local().type() == CandidateType.RELAYED ? TURN_OVERHEAD : 0;
        return Math.max(0, Math.min(mtu, 65_535) - ip - UDP_HEADER - turn);
    }
}
