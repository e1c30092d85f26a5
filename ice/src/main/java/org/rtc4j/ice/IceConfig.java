package org.rtc4j.ice;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The settings of an {@link IceAgent}. Defaults follow the RFCs (Ta 50 ms, RFC 8445 section 14.2; consent
 * expiry 30 s, RFC 7675 section 5.1) and what browsers do. Immutable; make one with {@link #builder()}.
 *
 * <p>{@code resolver} is ignored and will go: the agent never resolves server names (see
 * {@link IceServerResolver}).
 */
public record IceConfig(
        IceRole role,
        boolean lite,
        boolean relayOnly,
        List<IceServer> servers,
        RandomGenerator random,
        Duration ta,
        Duration checkRto,
        Duration maxCheckRto,
        int maxCheckTransmissions,
        Duration nominationDelay,
        Duration consentInterval,
        Duration disconnectedTimeout,
        Duration consentTimeout,
        Duration turnLifetime,
        int maxPairs,
        Function<String, InetAddress> resolver,
        Duration failedTimeout) {

    /** The settings without {@link #failedTimeout} (30 s then), as the first release had them. */
    public IceConfig(IceRole role, boolean lite, boolean relayOnly, List<IceServer> servers, RandomGenerator random,
            Duration ta, Duration checkRto, Duration maxCheckRto, int maxCheckTransmissions, Duration nominationDelay,
            Duration consentInterval, Duration disconnectedTimeout, Duration consentTimeout, Duration turnLifetime,
            int maxPairs, Function<String, InetAddress> resolver) {
        this(role, lite, relayOnly, servers, random, ta, checkRto, maxCheckRto, maxCheckTransmissions, nominationDelay,
                consentInterval, disconnectedTimeout, consentTimeout, turnLifetime, maxPairs, resolver,
                Duration.ofSeconds(30));
    }

    public IceConfig {
        Objects.requireNonNull(role, "role");
        servers = List.copyOf(servers);
        Objects.requireNonNull(random, "random");
        positive(ta, "ta");
        positive(checkRto, "checkRto");
        positive(maxCheckRto, "maxCheckRto");
        positive(consentInterval, "consentInterval");
        positive(disconnectedTimeout, "disconnectedTimeout");
        positive(consentTimeout, "consentTimeout");
        positive(turnLifetime, "turnLifetime");
        positive(failedTimeout, "failedTimeout");
        Objects.requireNonNull(nominationDelay, "nominationDelay");
        if (maxCheckTransmissions < 1 || maxPairs < 1) {
            throw new IllegalArgumentException("maxCheckTransmissions and maxPairs are at least 1");
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** These settings with other servers (for example the same ones resolved by {@link IceServerResolver}). */
    public IceConfig withServers(List<IceServer> value) {
        return new IceConfig(role, lite, relayOnly, value, random, ta, checkRto, maxCheckRto, maxCheckTransmissions,
                nominationDelay, consentInterval, disconnectedTimeout, consentTimeout, turnLifetime, maxPairs, resolver,
                failedTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link IceConfig}. */
    public static final class Builder {
        private IceRole role = IceRole.CONTROLLING;
        private boolean lite;
        private boolean relayOnly;
        private List<IceServer> servers = List.of();
        private RandomGenerator random;
        private Duration ta = Duration.ofMillis(50);
        private Duration checkRto = Duration.ofMillis(500);
        private Duration maxCheckRto = Duration.ofMillis(1600);
        private int maxCheckTransmissions = 7;
        private Duration nominationDelay = Duration.ofMillis(200);
        private Duration consentInterval = Duration.ofSeconds(2);
        private Duration disconnectedTimeout = Duration.ofSeconds(5);
        private Duration consentTimeout = Duration.ofSeconds(30);
        private Duration turnLifetime = Duration.ofMinutes(10);
        private int maxPairs = 100;
        private Function<String, InetAddress> resolver = host -> null;
        private Duration failedTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** The initial role: the offerer controls (RFC 8445 section 6.1.1); a conflict may change it. */
        public Builder role(IceRole value) {
            this.role = value;
            return this;
        }

        /** An ICE-lite agent (RFC 8445 section 2.5): host candidates only, answers checks, never sends any. */
        public Builder lite(boolean value) {
            this.lite = value;
            return this;
        }

        /** Only relayed candidates are offered and checked (the W3C {@code iceTransportPolicy: "relay"}). */
        public Builder relayOnly(boolean value) {
            this.relayOnly = value;
            return this;
        }

        public Builder servers(List<IceServer> value) {
            this.servers = value;
            return this;
        }

        public Builder servers(IceServer... value) {
            this.servers = List.of(value);
            return this;
        }

        /**
         * The source of credentials, tie-breakers and transaction ids: a {@link SecureRandom} by default (they
         * must be unguessable); tests pass a seeded one to replay a run exactly.
         */
        public Builder random(RandomGenerator value) {
            this.random = value;
            return this;
        }

        /** The pacing of new checks (RFC 8445 section 14.2), 50 ms by default. */
        public Builder ta(Duration value) {
            this.ta = value;
            return this;
        }

        /** The first retransmission timeout of a check, 500 ms; it doubles up to {@code max}. */
        public Builder checkRto(Duration first, Duration max) {
            this.checkRto = first;
            this.maxCheckRto = max;
            return this;
        }

        /** Transmissions of a check before its pair fails (Rc, RFC 8489 section 6.2.1), 7 by default. */
        public Builder maxCheckTransmissions(int value) {
            this.maxCheckTransmissions = value;
            return this;
        }

        /**
         * How long the controlling agent waits, after the first pair succeeds, for a better pair before it
         * nominates the best one it has (200 ms; it nominates at once when no better pair is pending).
         */
        public Builder nominationDelay(Duration value) {
            this.nominationDelay = value;
            return this;
        }

        /** How often consent is checked on the selected pair (RFC 7675), 2 s randomised by 20%. */
        public Builder consentInterval(Duration value) {
            this.consentInterval = value;
            return this;
        }

        /** Without a consent response for this long the state is {@code DISCONNECTED}, 5 s. */
        public Builder disconnectedTimeout(Duration value) {
            this.disconnectedTimeout = value;
            return this;
        }

        /** Without a consent response for this long consent expires and the state is {@code FAILED}, 30 s. */
        public Builder consentTimeout(Duration value) {
            this.consentTimeout = value;
            return this;
        }

        /** The LIFETIME asked of TURN servers, 10 minutes. */
        public Builder turnLifetime(Duration value) {
            this.turnLifetime = value;
            return this;
        }

        /** The most candidate pairs kept (RFC 8445 section 6.1.2.5), 100. */
        public Builder maxPairs(int value) {
            this.maxPairs = value;
            return this;
        }

        /**
         * Ignored: the agent never resolves host names, since a look-up blocks the thread that drives it.
         *
         * @deprecated resolve the servers with {@link IceServerResolver} before building the config; a name
         *     left unresolved gets a candidate error (701) when gathering
         */
        @Deprecated(forRemoval = true)
        public Builder resolver(Function<String, InetAddress> value) {
            this.resolver = Objects.requireNonNull(value, "resolver");
            return this;
        }

        /**
         * How long the agent stays {@code CHECKING} once every pair has failed and no pair works, when the
         * peer has not signaled the end of its candidates, before it reports {@code FAILED} (30 s, as Chromium
         * does). With the peer's end-of-candidates it fails at once (RFC 8445 section 8.1.2). A new remote
         * candidate or a restart brings it back to {@code CHECKING}.
         */
        public Builder failedTimeout(Duration value) {
            this.failedTimeout = value;
            return this;
        }

        public IceConfig build() {
            return new IceConfig(role, lite, relayOnly, servers, random != null ? random : new SecureRandom(), ta,
                    checkRto, maxCheckRto, maxCheckTransmissions, nominationDelay, consentInterval, disconnectedTimeout,
                    consentTimeout, turnLifetime, maxPairs, resolver, failedTimeout);
        }
    }
}
