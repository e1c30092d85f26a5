package org.rtc4j.ice.internal;

import java.time.Duration;
import java.time.Instant;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.stun.StunMessage;

/**
 * Consent freshness on the selected pair (RFC 7675): a check every few seconds (randomised, section 5.1);
 * without an authenticated answer for the disconnected timeout the state is disconnected, and for the consent
 * timeout consent expires and nothing more is sent.
 */
final class ConsentFreshness {

    private final Session s;
    private boolean expired;
    private Instant lastConsent;
    private Instant nextAt;
    private StunTransaction check;

    ConsentFreshness(Session s) {
        this.s = s;
    }

    /** A pair was selected: it has consent now. */
    void start(Instant now) {
        expired = false;
        check = null;
        lastConsent = now;
        nextAt = now.plus(jitter(s.config.consentInterval()));
    }

    /** An authenticated answer (or, for a lite agent, a check) on the selected pair. */
    void refreshed(Instant now) {
        lastConsent = now;
    }

    boolean expired() {
        return expired;
    }

    /** A restart after consent expired: the session starts over. */
    void clearExpired() {
        expired = false;
    }

    /** Whether the selected pair has been silent for the disconnected timeout. */
    boolean silent(Instant now) {
        return !s.lite && !now.isBefore(lastConsent.plus(s.config.disconnectedTimeout()));
    }

    private Duration jitter(Duration d) {
        // RFC 7675 section 5.1: randomised within 0.8 to 1.2 of the interval.
        double f = 0.8 + 0.4 * s.config.random().nextDouble();
        return Duration.ofNanos((long) (d.toNanos() * f));
    }

    void handleTimeout(Instant now) {
        CheckPair p = s.selected;
        if (p == null || s.lite || expired) {
            return;
        }
        if (!now.isBefore(lastConsent.plus(s.config.consentTimeout()))) {
            // RFC 7675 section 5.1: consent expired; stop sending.
            expired = true;
            if (check != null) {
                s.transactions.remove(check);
                check = null;
            }
            return;
        }
        if (!now.isBefore(nextAt)) {
            nextAt = now.plus(jitter(s.config.consentInterval()));
            StunMessage m = s.checks.request(p, false);
            if (check != null) {
                s.transactions.remove(check);
            }
            StunTransaction t = new StunTransaction(StunTransaction.Kind.CONSENT, m, p.local, p.remote.address, p,
                    null, false, s.role);
            s.transactions.add(t, now, s.config.checkRto());
            check = t;
            s.sendFrom(now, p.local, p.remote.address, m.asBuffer());
        }
    }

    Instant pollTimeout() {
        if (s.selected == null || s.lite || expired) {
            return null;
        }
        Instant next = nextAt;
        if (s.states.state() != IceConnectionState.DISCONNECTED) {
            next = Session.min(next, lastConsent.plus(s.config.disconnectedTimeout()));
        }
        return Session.min(next, lastConsent.plus(s.config.consentTimeout()));
    }

    /** The consent check was answered. */
    void answered(StunTransaction t) {
        if (t == check) {
            check = null;
        }
    }

    void timedOut(StunTransaction t) {
        if (check == t) {
            check = null;
        }
    }
}
