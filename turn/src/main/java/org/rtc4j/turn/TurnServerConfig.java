package org.rtc4j.turn;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What a {@link TurnServer} allows and how: realm and credentials, relay addresses and ports, peer
 * filtering, quotas, bandwidth and lifetimes. Immutable; the defaults are the safe ones (coturn's spirit):
 * no relaying to loopback, private, link-local or other special-purpose peers, bounded allocations per user
 * and in total, and a bandwidth cap per allocation.
 */
public final class TurnServerConfig {

    private final String realm;
    private final Map<String, String> users;
    private final String authSecret;
    private final List<InetAddress> relayAddresses;
    private final InetAddress externalAddress;
    private final int minPort;
    private final int maxPort;
    private final boolean allowLoopbackPeers;
    private final int maxAllocationsPerUser;
    private final int maxAllocationsPerAddress;
    private final int maxAllocations;
    private final long maxBytesPerSecond;
    private final Duration defaultLifetime;
    private final Duration maxLifetime;
    private final Duration nonceLifetime;
    private final byte[] nonceSecret;
    private final RandomGenerator random;

    private TurnServerConfig(Builder b) {
        this.realm = b.realm;
        this.users = Map.copyOf(b.users);
        this.authSecret = b.authSecret;
        this.relayAddresses = List.copyOf(b.relayAddresses);
        this.externalAddress = b.externalAddress;
        this.minPort = b.minPort;
        this.maxPort = b.maxPort;
        this.allowLoopbackPeers = b.allowLoopbackPeers;
        this.maxAllocationsPerUser = b.maxAllocationsPerUser;
        this.maxAllocationsPerAddress = b.maxAllocationsPerAddress;
        this.maxAllocations = b.maxAllocations;
        this.maxBytesPerSecond = b.maxBytesPerSecond;
        this.defaultLifetime = b.defaultLifetime;
        this.maxLifetime = b.maxLifetime;
        this.nonceLifetime = b.nonceLifetime;
        this.nonceSecret = b.nonceSecret.clone();
        this.random = b.random != null ? b.random : KernelRandom.shared();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String realm() {
        return realm;
    }

    /** Long-term credentials: user name to password. */
    public Map<String, String> users() {
        return users;
    }

    /** The shared secret of the TURN REST API scheme, or {@code null}. */
    public String authSecret() {
        return authSecret;
    }

    /** The addresses relays bind to: at most one IPv4 and one IPv6. */
    public List<InetAddress> relayAddresses() {
        return relayAddresses;
    }

    /** The IPv4 address advertised for relays instead of the bound one (behind a NAT), or {@code null}. */
    public InetAddress externalAddress() {
        return externalAddress;
    }

    public int minPort() {
        return minPort;
    }

    public int maxPort() {
        return maxPort;
    }

    public boolean allowLoopbackPeers() {
        return allowLoopbackPeers;
    }

    public int maxAllocationsPerUser() {
        return maxAllocationsPerUser;
    }

    /** Allocations (and reserved ports) one client IP address may hold, whatever user names it uses. */
    public int maxAllocationsPerAddress() {
        return maxAllocationsPerAddress;
    }

    public int maxAllocations() {
        return maxAllocations;
    }

    /** Bytes per second one allocation may relay, each direction on its own; 0 for no cap. */
    public long maxBytesPerSecond() {
        return maxBytesPerSecond;
    }

    public Duration defaultLifetime() {
        return defaultLifetime;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public Duration nonceLifetime() {
        return nonceLifetime;
    }

    byte[] nonceSecret() {
        return nonceSecret;
    }

    /** The source of relay ports, reservation tokens and Data indication ids (see {@link Builder#random}). */
    RandomGenerator random() {
        return random;
    }

    public static final class Builder {
        private String realm = "rtc4j";
        private final Map<String, String> users = new LinkedHashMap<>();
        private String authSecret;
        private final List<InetAddress> relayAddresses = new ArrayList<>();
        private InetAddress externalAddress;
        private int minPort = 49152;
        private int maxPort = 65535;
        private boolean allowLoopbackPeers;
        private int maxAllocationsPerUser = 64;
        private int maxAllocationsPerAddress = 128;
        private int maxAllocations = 4096;
        private long maxBytesPerSecond = 5_000_000;
        // RFC 8656 section 3.9: 10 minutes by default, at most an hour here.
        private Duration defaultLifetime = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofHours(1);
        private Duration nonceLifetime = Duration.ofMinutes(10);
        private byte[] nonceSecret = randomSecret();
        private RandomGenerator random;

        private Builder() {
        }

        public Builder realm(String value) {
            this.realm = Objects.requireNonNull(value, "realm");
            return this;
        }

        public Builder user(String name, String password) {
            users.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(password, "password"));
            return this;
        }

        public Builder authSecret(String value) {
            this.authSecret = value;
            return this;
        }

        public Builder relayAddress(InetAddress value) {
            for (InetAddress existing : relayAddresses) {
                if (existing.getClass() == value.getClass()) {
                    throw new IllegalArgumentException("one relay address per family: " + existing + ", " + value);
                }
            }
            relayAddresses.add(value);
            return this;
        }

        public Builder externalAddress(InetAddress value) {
            this.externalAddress = value;
            return this;
        }

        public Builder ports(int min, int max) {
            if (min < 1 || max > 65535 || min > max) {
                throw new IllegalArgumentException("bad relay port range " + min + "-" + max);
            }
            this.minPort = min;
            this.maxPort = max;
            return this;
        }

        public Builder allowLoopbackPeers(boolean value) {
            this.allowLoopbackPeers = value;
            return this;
        }

        public Builder maxAllocationsPerUser(int value) {
            this.maxAllocationsPerUser = value;
            return this;
        }

        public Builder maxAllocationsPerAddress(int value) {
            this.maxAllocationsPerAddress = value;
            return this;
        }

        public Builder maxAllocations(int value) {
            this.maxAllocations = value;
            return this;
        }

        public Builder maxBytesPerSecond(long value) {
            this.maxBytesPerSecond = value;
            return this;
        }

        public Builder lifetimes(Duration defaultValue, Duration maxValue) {
            this.defaultLifetime = defaultValue;
            this.maxLifetime = maxValue;
            return this;
        }

        public Builder nonceLifetime(Duration value) {
            this.nonceLifetime = value;
            return this;
        }

        /** A fixed nonce secret (for tests; by default a random one per server). */
        public Builder nonceSecret(byte[] value) {
            this.nonceSecret = value.clone();
            return this;
        }

        /**
         * The source of relay ports, reservation tokens and Data indication transaction ids: by default the
         * kernel's CSPRNG ({@code /dev/urandom} read directly, else a {@link SecureRandom}): RFC 8656 section 7.2
         * wants relay ports hard to guess, and a token lets whoever knows it take the reserved port. Simulation
         * tests pass a seeded one to replay a run byte for byte.
         */
        public Builder random(RandomGenerator value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        public TurnServerConfig build() {
            if (relayAddresses.isEmpty()) {
                throw new IllegalStateException("a TURN server needs at least one relay address");
            }
            return new TurnServerConfig(this);
        }

        private static byte[] randomSecret() {
            byte[] secret = new byte[32];
            KernelRandom.shared().nextBytes(secret);
            return secret;
        }
    }
}
