package org.rtc4j.ice.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidateType;
import org.rtc4j.ice.IceCandidate;

/**
 * What becomes a remote candidate ({@link Session#remotes}, which the other parts read): signaled candidates
 * within the bound and only at addresses a check may go to, {@code .local} names asked of the driver once and
 * replaced when resolved, and room made for a peer that proved itself. The peer signals these and may send
 * junk, so the rules sit together here.
 */
final class RemoteCandidates {

    private static final byte[] BROADCAST = {-1, -1, -1, -1};

    private final Session s;
    /** {@code .local} names of remote candidates for the driver to resolve, and those already asked for. */
    private final ArrayDeque<String> mdnsQueries = new ArrayDeque<>();
    private final Set<String> mdnsAsked = new HashSet<>();

    RemoteCandidates(Session s) {
        this.s = s;
    }

    void add(IceCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (s.closed || candidate.component() != 1 || s.remotes.size() >= Session.MAX_REMOTE_CANDIDATES) {
            return;
        }
        TransportAddress address = candidate.transportAddress();
        if (address != null && unreachable(address.ip())) {
            s.counters.refusedRemoteCandidates++;
            return;
        }
        if (address != null) {
            RemoteCandidate existing = byAddress(address);
            if (existing != null) {
                if (existing.candidate.type() == CandidateType.PEER_REFLEXIVE) {
                    // The signaled candidate replaces the one learned from a check (RFC 8445 section 7.3.1.3).
                    existing.candidate = candidate;
                    s.checkList.recomputePriorities();
                }
                return;
            }
        }
        if (candidate.isMdns() && candidate.transport() == Transport.UDP) {
            String name = candidate.address().toLowerCase(Locale.ROOT);
            if (mdnsAsked.add(name)) {
                mdnsQueries.add(name);
            }
        }
        RemoteCandidate remote = new RemoteCandidate(candidate);
        s.remotes.add(remote);
        if (!s.lite) {
            for (LocalCandidate local : List.copyOf(s.locals)) {
                s.checkList.add(local, remote);
            }
        }
        s.checks.kick();
    }

    /**
     * Frees a remote-candidate slot for a peer that proved it knows the credentials (an authenticated check
     * from an address not yet known): drops the lowest-priority candidate none of whose pairs is valid, vouched
     * for by the peer, being checked or selected. The cap keeps memory bounded; it must not let junk signaled
     * ahead of the real candidate lock the real peer out. Returns false when every candidate has proved itself.
     */
    boolean evictUnproven() {
        RemoteCandidate worst = null;
        for (RemoteCandidate r : s.remotes) {
            if (!s.checkList.proven(r) && (worst == null || r.candidate.priority() < worst.candidate.priority())) {
                worst = r;
            }
        }
        if (worst == null) {
            return false;
        }
        s.remotes.remove(worst);
        s.checkList.removeRemote(worst);
        return true;
    }

    /**
     * An address no connectivity check can be sent to: multicast, the IPv4 limited broadcast, unspecified
     * (RFC 8445 section 5.1.1.1 excludes them as candidates; checking them would spray the local network).
     */
    static boolean unreachable(InetAddress ip) {
        return ip.isMulticastAddress() || ip.isAnyLocalAddress()
                || ip instanceof Inet4Address && Arrays.equals(ip.getAddress(), BROADCAST);
    }

    RemoteCandidate byAddress(TransportAddress address) {
        for (RemoteCandidate r : s.remotes) {
            if (address.equals(r.address)) {
                return r;
            }
        }
        return null;
    }

    String pollMdnsQuery() {
        return mdnsQueries.poll();
    }

    /** {@code resolve} gives a candidate with that name its address. */
    void mdnsResolved(Instant now, String name, InetAddress address, UnaryOperator<IceCandidate> resolve) {
        s.lastNow = now;
        if (s.closed || address == null || name == null || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return; // no answer, or one that no check could be sent to
        }
        for (IceCandidate c : s.remotes.stream().filter(r -> r.address == null && r.candidate.isMdns()
                && r.candidate.address().equalsIgnoreCase(name)).map(r -> r.candidate).toList()) {
            s.remotes.removeIf(r -> r.candidate == c);
            add(resolve.apply(c));
        }
        s.afterActivity(now);
    }

    /** A restart: the new generation's candidates are signaled anew, names included. */
    void restart() {
        mdnsQueries.clear();
        mdnsAsked.clear();
    }
}
