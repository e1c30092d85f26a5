package org.rtc4j.testkit.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * The behaviour of a {@link Nat} in RFC 4787's terms: mapping and filtering (each endpoint-independent,
 * address-dependent or address-and-port-dependent), the mapping lifetime and whether inbound traffic
 * refreshes it, hairpinning, and how external ports are picked. Immutable.
 *
 * <p>The classic names: {@link #fullCone()}, {@link #restrictedCone()}, {@link #portRestrictedCone()},
 * {@link #symmetric()}.
 */
public final class NatConfig {

    private final NatBehavior mapping;
    private final NatBehavior filtering;
    private final Duration mappingLifetime;
    private final boolean inboundRefresh;
    private final boolean hairpinning;
    private final PortAllocation portAllocation;
    private final int portMin;
    private final int portMax;

    private NatConfig(Builder b) {
        this.mapping = b.mapping;
        this.filtering = b.filtering;
        this.mappingLifetime = b.mappingLifetime;
        this.inboundRefresh = b.inboundRefresh;
        this.hairpinning = b.hairpinning;
        this.portAllocation = b.portAllocation;
        this.portMin = b.portMin;
        this.portMax = b.portMax;
    }

    /** Endpoint-independent mapping and filtering. */
    public static NatConfig fullCone() {
        return builder().mapping(NatBehavior.ENDPOINT_INDEPENDENT).filtering(NatBehavior.ENDPOINT_INDEPENDENT)
                .build();
    }

    /** Endpoint-independent mapping, address-dependent filtering. */
    public static NatConfig restrictedCone() {
        return builder().mapping(NatBehavior.ENDPOINT_INDEPENDENT).filtering(NatBehavior.ADDRESS_DEPENDENT)
                .build();
    }

    /** Endpoint-independent mapping, address-and-port-dependent filtering (the common home router). */
    public static NatConfig portRestrictedCone() {
        return builder().build();
    }

    /** Address-and-port-dependent mapping and filtering, ports picked in sequence. */
    public static NatConfig symmetric() {
        return builder().mapping(NatBehavior.ADDRESS_AND_PORT_DEPENDENT)
                .filtering(NatBehavior.ADDRESS_AND_PORT_DEPENDENT).portAllocation(PortAllocation.SEQUENTIAL)
                .build();
    }

    /**
     * Starts from endpoint-independent mapping, address-and-port-dependent filtering, a 2-minute lifetime
     * refreshed by outbound traffic only (RFC 4787 REQ-1, REQ-5, REQ-6), hairpinning on (REQ-9), port
     * preservation, ports 49152-65535.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.mapping = mapping;
        b.filtering = filtering;
        b.mappingLifetime = mappingLifetime;
        b.inboundRefresh = inboundRefresh;
        b.hairpinning = hairpinning;
        b.portAllocation = portAllocation;
        b.portMin = portMin;
        b.portMax = portMax;
        return b;
    }

    public NatBehavior mapping() {
        return mapping;
    }

    public NatBehavior filtering() {
        return filtering;
    }

    public Duration mappingLifetime() {
        return mappingLifetime;
    }

    public boolean inboundRefresh() {
        return inboundRefresh;
    }

    public boolean hairpinning() {
        return hairpinning;
    }

    public PortAllocation portAllocation() {
        return portAllocation;
    }

    public int portMin() {
        return portMin;
    }

    public int portMax() {
        return portMax;
    }

    @Override
    public String toString() {
        return "NatConfig[mapping=" + mapping + ", filtering=" + filtering + ", lifetime=" + mappingLifetime
                + (inboundRefresh ? ", inbound refresh" : "") + ", hairpinning=" + hairpinning + ", ports="
                + portAllocation + " " + portMin + "-" + portMax + "]";
    }

    /** Builds a {@link NatConfig}. */
    public static final class Builder {
        private NatBehavior mapping = NatBehavior.ENDPOINT_INDEPENDENT;
        private NatBehavior filtering = NatBehavior.ADDRESS_AND_PORT_DEPENDENT;
        private Duration mappingLifetime = Duration.ofMinutes(2);
        private boolean inboundRefresh;
        private boolean hairpinning = true;
        private PortAllocation portAllocation = PortAllocation.PRESERVING;
        private int portMin = 49152;
        private int portMax = 65535;

        private Builder() {
        }

        public Builder mapping(NatBehavior value) {
            this.mapping = Objects.requireNonNull(value, "mapping");
            return this;
        }

        public Builder filtering(NatBehavior value) {
            this.filtering = Objects.requireNonNull(value, "filtering");
            return this;
        }

        /** How long a mapping lives after the traffic that last refreshed it. */
        public Builder mappingLifetime(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("mapping lifetime must be positive: " + value);
            }
            this.mappingLifetime = value;
            return this;
        }

        /** Whether inbound datagrams refresh a mapping too (RFC 4787 section 4.3: MAY). */
        public Builder inboundRefresh(boolean value) {
            this.inboundRefresh = value;
            return this;
        }

        public Builder hairpinning(boolean value) {
            this.hairpinning = value;
            return this;
        }

        public Builder portAllocation(PortAllocation value) {
            this.portAllocation = Objects.requireNonNull(value, "port allocation");
            return this;
        }

        /** The range external ports are taken from (port preservation may go outside it). */
        public Builder ports(int min, int max) {
            if (min < 1 || max > 65535 || min > max) {
                throw new IllegalArgumentException("bad port range " + min + "-" + max);
            }
            this.portMin = min;
            this.portMax = max;
            return this;
        }

        public NatConfig build() {
            return new NatConfig(this);
        }
    }
}
