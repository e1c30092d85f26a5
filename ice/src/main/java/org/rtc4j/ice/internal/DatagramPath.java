package org.rtc4j.ice.internal;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.rtc4j.core.ParseException;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.DirectPath;
import org.rtc4j.ice.stun.StunMessage;

/**
 * The agent's datagrams: each one received goes to its TURN client or host candidate, STUN to the
 * {@link ConnectivityChecks}, application data out only from an authenticated pair; application data sent
 * goes on the pair that may carry it. Apart from {@link Session} so the data path reads in one place,
 * without the agent's bookkeeping around it.
 */
final class DatagramPath {

    private final Session s;
    /** The pair of the data {@link #receive} or {@link #receiveNext} returned last, or null. */
    private CandidatePair lastReceivedPair;
    /** The relay whose TCP segment {@link #receiveNext} reads on, or null. */
    private Relays.Relay receivingRelay;

    DatagramPath(Session s) {
        this.s = s;
    }

    ByteBuffer receive(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        s.lastNow = now;
        lastReceivedPair = null;
        receivingRelay = null;
        if (s.closed && s.relays.isEmpty()) {
            return null;
        }
        ByteBuffer out = null;
        Relays.Relay relay = s.relays.relayFor(source, destination);
        if (relay != null && !s.transactions.isOurResponse(data)) {
            receivingRelay = relay;
            out = fromRelay(now, relay, relay.client.receive(now, source, destination, data));
        } else if (!s.closed) {
            LocalCandidate host = s.gathering.hostAt(destination);
            if (host == null && s.selected != null && s.selected.local.base.equals(destination)) {
                host = s.selected.local; // a socket left out of a restart still carries the old pair
            }
            if (host == null) {
                s.counters.unknownDestination++;
                return null;
            }
            out = receiveAt(now, host, source, data);
        }
        s.afterActivity(now);
        return out;
    }

    ByteBuffer receiveNext(Instant now) {
        lastReceivedPair = null;
        Relays.Relay relay = receivingRelay;
        if (relay == null) {
            return null;
        }
        s.lastNow = now;
        ByteBuffer out = fromRelay(now, relay, relay.client.receiveNext(now));
        s.afterActivity(now);
        return out;
    }

    CandidatePair lastReceivedPair() {
        return lastReceivedPair;
    }

    /** What a TURN client took out of its server's input, until a payload is application data for us. */
    private ByteBuffer fromRelay(Instant now, Relays.Relay relay, ByteBuffer payload) {
        ByteBuffer out = null;
        while (payload != null) {
            if (relay.relayed != null && !s.closed) {
                out = receiveAt(now, relay.relayed, relay.client.lastPeer(), payload);
                if (out != null) {
                    break;
                }
            }
            payload = relay.client.receiveNext(now);
        }
        if (out == null) {
            receivingRelay = null;
        }
        s.relays.drain(now);
        return out;
    }

    /**
     * A datagram at a local candidate's base (a socket, or a relayed address) from a remote address: STUN is
     * handled by the connectivity checks; application data on an authenticated pair is returned.
     */
    private ByteBuffer receiveAt(Instant now, LocalCandidate local, TransportAddress remote, ByteBuffer data) {
        if (StunMessage.isStun(data)) {
            StunMessage m;
            try {
                m = StunMessage.parse(data);
            } catch (ParseException e) {
                s.counters.malformed++;
                return null;
            }
            s.checks.stun(now, local, remote, m);
            return null;
        }
        CheckPair pair = s.checkList.authenticated(s.selected, local, remote);
        if (pair == null) {
            s.counters.unauthenticatedData++;
            return null;
        }
        s.counters.dataReceived++;
        lastReceivedPair = pair.view();
        return data;
    }

    boolean send(Instant now, ByteBuffer data) {
        CheckPair pair = dataPair();
        if (pair == null) {
            return false;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        s.counters.dataSent++;
        return s.sendFrom(now, pair.local, pair.remote.address, copy);
    }

    /**
     * One datagram the caller sends itself from its socket: the pair's path, counted as sent; null when data
     * cannot leave that way (no usable pair, or a relayed local candidate: {@link #send} wraps it for TURN).
     */
    DirectPath sendDirect() {
        CheckPair pair = dataPair();
        if (pair == null || pair.local.relay != null) {
            return null;
        }
        s.counters.dataSent++;
        return pair.direct();
    }

    /** The selected pair, or before there is one the best valid pair of this generation (RFC 8445 12.1). */
    CheckPair sendPair() {
        return s.selected != null ? s.selected : s.checkList.bestValid(s.generation);
    }

    /** The pair application data goes out on now, or null: none yet, consent expired (RFC 7675), closed. */
    private CheckPair dataPair() {
        CheckPair pair = sendPair();
        return pair == null || s.consent.expired() || s.closed ? null : pair;
    }
}
