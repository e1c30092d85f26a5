package org.rtc4j.ice.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.rtc4j.ice.stun.StunMessage;
import org.rtc4j.ice.stun.TransactionId;

/**
 * The agent's outstanding Binding requests (checks, consent checks, server-reflexive queries) by transaction
 * id, and their retransmission with a doubling timeout (RFC 8489 section 6.2.1).
 */
final class Transactions {

    /** Server-reflexive queries: transmissions and timeouts as for any STUN request (RFC 8489 section 6.2.1). */
    static final int GATHER_TRANSMISSIONS = 7;
    static final Duration GATHER_RTO = Duration.ofMillis(500);
    private static final Duration GATHER_MAX_RTO = Duration.ofSeconds(8);

    private final Session s;
    private final Map<TransactionId, StunTransaction> byId = new HashMap<>();
    private final byte[] idBytes = new byte[TransactionId.LENGTH];

    Transactions(Session s) {
        this.s = s;
    }

    /** Records a request sent now; its first retransmission is due after {@code rto}. */
    void add(StunTransaction t, Instant now, Duration rto) {
        t.rto = rto;
        t.nextAt = now.plus(rto);
        byId.put(t.request.transactionId(), t);
    }

    StunTransaction get(TransactionId id) {
        return byId.get(id);
    }

    void remove(StunTransaction t) {
        byId.remove(t.request.transactionId());
    }

    void removeIf(Predicate<StunTransaction> filter) {
        byId.values().removeIf(filter);
    }

    void clear() {
        byId.clear();
    }

    boolean any(StunTransaction.Kind kind) {
        for (StunTransaction t : byId.values()) {
            if (t.kind == kind) {
                return true;
            }
        }
        return false;
    }

    /** Whether a STUN response answers one of the agent's own requests (a STUN server may also be a TURN server). */
    boolean isOurResponse(ByteBuffer data) {
        if (!StunMessage.isStun(data) || (data.get(data.position()) & 0x01) == 0) {
            return false; // not a response: the class bit C1 (0x0100 of the type) is the low bit of byte 0
        }
        data.get(data.position() + 8, idBytes);
        return byId.containsKey(TransactionId.of(idBytes));
    }

    Instant pollTimeout() {
        Instant next = null;
        for (StunTransaction t : byId.values()) {
            next = Session.min(next, t.nextAt);
        }
        return next;
    }

    /** Retransmits what is due, doubling its timeout; a request out of transmissions has timed out. */
    void retransmit(Instant now) {
        List<StunTransaction> due = null;
        for (StunTransaction t : byId.values()) {
            if (!now.isBefore(t.nextAt)) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(t);
            }
        }
        if (due == null) {
            return;
        }
        for (StunTransaction t : due) {
            boolean gather = t.kind == StunTransaction.Kind.GATHER;
            if (t.transmissions >= (gather ? GATHER_TRANSMISSIONS : s.config.maxCheckTransmissions())) {
                remove(t);
                timedOut(t);
                continue;
            }
            t.transmissions++;
            Duration doubled = t.rto.multipliedBy(2);
            Duration max = gather ? GATHER_MAX_RTO : s.config.maxCheckRto();
            t.rto = doubled.compareTo(max) > 0 ? max : doubled;
            t.nextAt = now.plus(t.rto);
            s.sendFrom(now, t.local, t.destination, t.request.asBuffer());
        }
    }

    private void timedOut(StunTransaction t) {
        switch (t.kind) {
            case GATHER -> s.gathering.timedOut(t);
            case CHECK -> s.checks.timedOut(t);
            case CONSENT -> s.consent.timedOut(t);
        }
    }
}
