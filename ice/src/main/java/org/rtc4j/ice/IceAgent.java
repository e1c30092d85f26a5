package org.rtc4j.ice;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.internal.Session;
import org.rtc4j.ice.turn.TurnClient;

/**
 * A full ICE agent (RFC 8445) for one component (rtcp-mux and BUNDLE, as browsers use), as a sans-IO
 * {@link Engine}: trickle (RFC 8838), consent freshness (RFC 7675), ICE restart, remote ICE-lite peers, and
 * relayed candidates through its own TURN clients (RFC 8656). It can also be a lite agent itself.
 *
 * <p>The driver binds the sockets and tells the agent their addresses ({@link #addLocalAddress}); the
 * agent sends STUN, TURN and application data as {@link Transmit}s from those addresses (to a TURN server
 * over TCP: destination the server's TCP address, source port 0; see {@link TurnClient}). It also resolves
 * nothing itself: server names are resolved beforehand ({@link IceServerResolver}), and the peer's
 * {@code .local} (mDNS) names come out of {@link #pollMdnsQuery} for the driver to look up (with {@link
 * org.rtc4j.ice.mdns.MdnsResolver}, as the peer connection's driver does) and go back in through {@link
 * #mdnsResolved}.
 *
 * <pre>{@code
 * IceAgent agent = new IceAgent(IceConfig.builder().role(IceRole.CONTROLLING).servers(stun, turn).build());
 * agent.addLocalAddress(socketAddress);
 * agent.gather(now);                                 // IceEvent.LocalCandidate: signal them
 * agent.setRemoteCredentials(ufrag, pwd);            // from the peer's description
 * agent.addRemoteCandidate("candidate:...");         // trickled; then endOfRemoteCandidates()
 * // drive: receive (or handleInput) / handleTimeout / pollTransmit / pollEvent / pollTimeout
 * ByteBuffer data = agent.receive(now, from, to, datagram);   // application data, or null
 * agent.send(now, datagram);                         // on the selected pair, once connected
 * }</pre>
 *
 * <p>Trust (DESIGN.md): only a Binding request with a valid MESSAGE-INTEGRITY and FINGERPRINT creates a
 * remote address (peer-reflexive) or lets its data in; only an authenticated response validates a pair.
 * Everything else is dropped and counted ({@link #stats()}).
 *
 * <p>The parts of the agent (check list, connectivity checks, nomination by role, consent, gathering, relays)
 * live in {@code org.rtc4j.ice.internal}; this class is their public face.
 */
public final class IceAgent implements Engine<IceEvent> {

    private final Session session;

    public IceAgent(IceConfig config) {
        this.session = new Session(config);
    }

    // ---------------------------------------------------------------- the application's side

    /** The local ufrag and password to signal (new after each {@link #restart}). */
    public IceCredentials localCredentials() {
        return session.localCredentials();
    }

    public IceRole role() {
        return session.role();
    }

    public boolean isLite() {
        return session.isLite();
    }

    public IceConnectionState connectionState() {
        return session.connectionState();
    }

    public IceGatheringState gatheringState() {
        return session.gatheringState();
    }

    /** The selected pair, or {@code null}. */
    public CandidatePair selectedPair() {
        return session.selectedPair();
    }

    /**
     * The pair {@link #send} uses: the selected pair, or before there is one the best valid pair of the current
     * generation (RFC 8445 section 12.1: an agent MAY send data on any valid pair before selection), so a DTLS
     * handshake need not wait for the controlling agent's nomination. {@code null} when no pair is valid.
     */
    public CandidatePair sendingPair() {
        return session.sendingPair();
    }

    /** The local candidates gathered or learned so far (peer-reflexive ones included). */
    public List<IceCandidate> localCandidates() {
        return session.localCandidates();
    }

    public List<IceCandidate> remoteCandidates() {
        return session.remoteCandidates();
    }

    /**
     * A local socket the driver has bound (UDP; other transports are ignored). Its host candidate goes out
     * when gathering starts, or at once when gathering has started already.
     */
    public void addLocalAddress(TransportAddress address) {
        session.addLocalAddress(address);
    }

    /**
     * A local socket went away (an interface went down): it is no longer gathered on, from the next
     * {@link #restart} on; the selected pair keeps working as long as the driver can still send on it.
     */
    public void removeLocalAddress(TransportAddress address) {
        session.removeLocalAddress(address);
    }

    /**
     * Gathers ahead of time (the W3C {@code iceCandidatePoolSize}): host, reflexive and relayed candidates
     * are made, but not announced until {@link #gather} is called.
     */
    public void prepare(Instant now) {
        session.prepare(now);
    }

    /** Starts gathering (or, after {@link #prepare}, announces what the pool holds and goes on). */
    public void gather(Instant now) {
        session.gather(now);
    }

    /**
     * The peer's ufrag and password. New ones after a connection was set up mean the peer restarted: the
     * agent restarts too (its own new credentials must then be signaled).
     *
     * @throws IllegalArgumentException when they break RFC 8839's grammar (the user's input)
     */
    public void setRemoteCredentials(String ufrag, String password) {
        session.setRemoteCredentials(ufrag, password);
    }

    /** The peer is an ICE-lite agent (RFC 8445 section 6.1.1): a full agent then controls. */
    public void setRemoteLite(boolean value) {
        session.setRemoteLite(value);
    }

    /**
     * Adds a remote candidate (trickle, RFC 8838). TCP candidates are kept but not checked. A UDP candidate
     * with a {@code .local} name is kept unchecked and its name queued for the driver ({@link #pollMdnsQuery});
     * when the driver answers ({@link #mdnsResolved}) it is checked like any other, and when no answer comes
     * (a network without multicast) the peer is found as peer-reflexive once its checks arrive.
     *
     * @throws IllegalArgumentException for a malformed line (the user's input)
     */
    public void addRemoteCandidate(String line) {
        addRemoteCandidate(IceCandidate.parse(line));
    }

    public void addRemoteCandidate(IceCandidate candidate) {
        session.addRemoteCandidate(candidate);
    }

    /**
     * A {@code .local} name the driver should resolve by multicast DNS (RFC 6762) and answer with
     * {@link #mdnsResolved}, or null. Each name is asked for once per session; not answering is fine (the
     * peer is then found as peer-reflexive).
     */
    public String pollMdnsQuery() {
        return session.pollMdnsQuery();
    }

    /**
     * The address a {@code .local} name resolved to: the remote candidates with that name get it and are
     * checked (a peer-reflexive candidate already learned at that address takes the signaled one's type and
     * priority, RFC 8445 section 7.3.1.3). A null address (no answer) changes nothing.
     */
    public void mdnsResolved(Instant now, String name, InetAddress address) {
        session.mdnsResolved(now, name, address, c -> c.resolved(address));
    }

    /** The peer's end-of-candidates indication (RFC 8838 section 8.2). */
    public void endOfRemoteCandidates() {
        session.endOfRemoteCandidates();
    }

    /**
     * ICE restart (RFC 8445 section 9): new local credentials and a new gathering; data stays on the
     * selected pair until a pair of the new session is selected. The peer's new credentials and candidates
     * follow with {@link #setRemoteCredentials} and {@link #addRemoteCandidate}.
     */
    public void restart(Instant now) {
        session.restart(now);
    }

    /**
     * Sends application data on the selected pair (through the relay when its local candidate is
     * relayed). Returns false when there is no usable pair (none selected yet, or consent expired).
     */
    public boolean send(Instant now, ByteBuffer data) {
        return session.send(now, data);
    }

    /**
     * For a driver that writes each outgoing datagram into its own buffer and sends it from its socket itself
     * (nothing copied, queued or allocated): the path for one datagram, counted as sent. Null when the datagram
     * cannot go that way: no usable pair (none yet, consent expired, closed), or a relayed local candidate,
     * whose data {@link #send} wraps for the TURN server.
     */
    public DirectPath sendDirect() {
        return session.sendDirect();
    }

    /**
     * New STUN and TURN servers (W3C setConfiguration): used at once if gathering has not started, else from
     * the next {@link #restart} on, whose gathering allocates on them (RFC 8445 section 9).
     */
    public void setServers(List<IceServer> servers) {
        session.setServers(servers);
    }

    /**
     * The driver's TCP (or TLS) connection {@code local} (named as the transmits name it: {@link TurnConnection})
     * to the TURN server {@code server} could not be made, was refused (a certificate not trusted) or was lost:
     * the allocation over it fails at once, as an icecandidateerror with code 701, instead of waiting for its
     * requests to time out.
     */
    public void turnConnectionLost(Instant now, TransportAddress server, TransportAddress local, String reason) {
        session.turnConnectionLost(now, server, local, reason);
    }

    /**
     * A TCP (or TLS) connection to a TURN server whose allocation was released (an ICE restart replaced it):
     * the driver closes it. Null when there is none.
     */
    public TurnConnection pollReleasedTurnConnection() {
        return session.pollReleasedTurnConnection();
    }

    /** Closes the agent: TURN allocations are released; nothing more is sent after that. */
    public void close(Instant now) {
        session.close(now);
    }

    public IceStats stats() {
        return session.stats();
    }

    // ---------------------------------------------------------------- the driver's side

    /**
     * {@link #receive} for generic pumps: application data becomes an {@link IceEvent.Data} holding a copy.
     */
    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        for (ByteBuffer d = receive(now, source, destination, data); d != null; d = receiveNext(now)) {
            ByteBuffer copy = ByteBuffer.allocate(d.remaining());
            copy.put(d.duplicate()).flip();
            session.offerEvent(new IceEvent.Data(lastReceivedPair(), copy));
        }
    }

    /**
     * Takes a datagram (or, from a TURN server over TCP, a stream segment) that arrived at a local socket.
     * STUN is consumed (connectivity checks, answers to the agent's requests, TURN control); application data
     * that arrived on an authenticated pair comes back, taken out of TURN ChannelData or a Data indication
     * when relayed: a view (no copy; possibly {@code data} itself) valid until the next call into the agent,
     * its pair in {@link #lastReceivedPair}. Null when nothing is for the caller: consumed, or dropped and
     * counted ({@link #stats()}).
     *
     * <p>A TCP segment from a TURN server may hold several datagrams: after a non-null result, call
     * {@link #receiveNext} until it returns null, and leave {@code data} unchanged until then. Over UDP
     * {@code receiveNext} returns null at once.
     */
    public ByteBuffer receive(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        return session.receive(now, source, destination, data);
    }

    /** The next application datagram of the segment given to {@link #receive}, or null; see there. */
    public ByteBuffer receiveNext(Instant now) {
        return session.receiveNext(now);
    }

    /** The pair the data that {@link #receive} or {@link #receiveNext} returned last came on, or null. */
    public CandidatePair lastReceivedPair() {
        return session.lastReceivedPair();
    }

    @Override
    public void handleTimeout(Instant now) {
        session.handleTimeout(now);
    }

    @Override
    public Transmit pollTransmit() {
        return session.pollTransmit();
    }

    @Override
    public IceEvent pollEvent() {
        return session.pollEvent();
    }

    @Override
    public Instant pollTimeout() {
        return session.pollTimeout();
    }

    /** The candidate pairs and their states, for logs and tests. */
    public List<String> describePairs() {
        return session.describePairs();
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
