package org.rtc4j.turn;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rtc4j.core.TransportAddress;

/**
 * Which peers a relay may reach (RFC 8656 section 21.1.1, and coturn's defaults): public unicast
 * addresses only. Loopback, private, shared (CGNAT), link-local, multicast, documentation, benchmarking,
 * reserved and unspecified addresses are refused (403), so a relay cannot be turned against the server's
 * own network; so are the relay anycast and tunnel ranges (6to4, Teredo), whose traffic comes out at an
 * IPv4 address the filter never sees. Loopback may be allowed for tests.
 *
 * <p>The server's own listening addresses are refused as peers whatever the ranges allowed: an Allocate
 * sent through one of our relays to our own port makes a nested allocation, and two such allocations
 * pointed at each other relay every datagram for ever (amplification loop). Relays of other allocations
 * stay reachable: two clients of one server relayed to each other is the usual relay-only call, and it
 * cannot loop because a relay only ever delivers to its client.
 */
final class PeerFilter {

    private final boolean allowLoopback;
    private final List<InetAddress> ownIps;
    /** The addresses requests arrived at (a few: the driver's listening sockets). */
    private final Set<TransportAddress> listening = new HashSet<>();

    PeerFilter(boolean allowLoopback, List<InetAddress> ownIps) {
        this.allowLoopback = allowLoopback;
        this.ownIps = ownIps;
    }

    /** A request arrived at {@code server}: it is one of ours (over TCP too: the UDP port is then ours). */
    void listeningAt(TransportAddress server) {
        if (listening.size() < 64) { // a driver listens on a few addresses; the bound is against a bad one
            listening.add(TransportAddress.udp(server.ip(), server.port()));
        }
    }

    /**
     * Whether {@code peer} is a port the server listens on: the same address, or the same port of one of
     * the server's addresses (or loopback) when the driver listens on the wildcard address.
     */
    boolean isServer(TransportAddress peer) {
        if (listening.contains(peer)) {
            return true;
        }
        InetAddress ip = peer.ip();
        if (!ip.isLoopbackAddress() && !ownIps.contains(ip)) {
            return false;
        }
        for (TransportAddress l : listening) {
            if (l.ip().isAnyLocalAddress() && l.port() == peer.port()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a relay may reach {@code peer}: an allowed address that is not one of the server's ports. */
    boolean allowed(TransportAddress peer) {
        return allowed(peer.ip()) && !isServer(peer);
    }

    boolean allowed(InetAddress ip) {
        if (ip.isLoopbackAddress()) {
            return allowLoopback;
        }
        if (ip instanceof Inet4Address) {
            return allowedV4(ip.getAddress());
        }
        byte[] a = ip.getAddress();
        if (isMappedV4(a)) {
            // ::ffff:a.b.c.d reaches the IPv4 address.
            byte[] v4 = {a[12], a[13], a[14], a[15]};
            return (allowLoopback && (v4[0] & 0xFF) == 127) || allowedV4(v4);
        }
        return allowedV6((Inet6Address) ip, a);
    }

    private static boolean allowedV4(byte[] a) {
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        int b2 = a[2] & 0xFF;
        return !(b0 == 0 || b0 == 10 || b0 == 127 || b0 >= 224                 // this network, private, loopback,
                                                                                // multicast, reserved, broadcast
                || (b0 == 100 && (b1 & 0xC0) == 64)                               // 100.64/10 shared
                || (b0 == 169 && b1 == 254)                                       // link-local
                || (b0 == 172 && (b1 & 0xF0) == 16)                               // 172.16/12
                || (b0 == 192 && b1 == 168)                                       // 192.168/16
                || (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2))                 // 192.0.0/24, TEST-NET-1
                || (b0 == 192 && b1 == 88 && b2 == 99)                            // 6to4 relay anycast
                || (b0 == 198 && (b1 & 0xFE) == 18)                               // 198.18/15 benchmarking
                || (b0 == 198 && b1 == 51 && b2 == 100)                           // TEST-NET-2
                || (b0 == 203 && b1 == 0 && b2 == 113));                          // TEST-NET-3
    }

    private static boolean allowedV6(Inet6Address ip, byte[] a) {
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        return !(ip.isAnyLocalAddress() || ip.isLinkLocalAddress() || ip.isSiteLocalAddress()
                || ip.isMulticastAddress()
                || (b0 & 0xFE) == 0xFC                                             // fc00::/7 unique local
                || (b0 == 0x20 && b1 == 0x01 && (a[2] & 0xFF) == 0x0D && (a[3] & 0xFF) == 0xB8) // 2001:db8::/32
                || (b0 == 0x20 && b1 == 0x01 && a[2] == 0 && a[3] == 0)           // 2001::/32 Teredo
                || (b0 == 0x20 && b1 == 0x02)                                      // 2002::/16 6to4
                || (b0 == 0x00 && b1 == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B) // 64:ff9b::/96
                || isZeroPrefix(a)                                                 // ::/8 and IPv4-compatible
                || (b0 == 0x01 && b1 == 0x00 && a[2] == 0 && a[3] == 0));         // 100::/64 discard
    }

    private static boolean isZeroPrefix(byte[] a) {
        return a[0] == 0; // ::/8: unspecified, loopback and other reserved forms (mapped ones handled before)
    }

    private static boolean isMappedV4(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
    }
}
