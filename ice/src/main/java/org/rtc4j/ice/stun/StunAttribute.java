package org.rtc4j.ice.stun;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One attribute of a STUN message, typed by the shape of its value. {@link #type()} is the attribute's
 * number; {@link StunAttributeType} names the known ones and says which shape each has. Attributes the
 * codec does not know arrive as {@link Opaque}.
 *
 * <p>Integrity and fingerprint are not added by hand: the {@link StunMessage.Builder} computes them.
 */
public sealed interface StunAttribute {

    /** The attribute type number (16 bits; below 0x8000 means comprehension-required). */
    int type();

    /**
     * A transport address: MAPPED-ADDRESS, ALTERNATE-SERVER and the XOR-ed ones (XOR-MAPPED-ADDRESS,
     * XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). The XOR with the magic cookie and transaction id is done by
     * the codec: {@code ip} and {@code port} here are always the real ones.
     */
    record Address(int type, InetAddress ip, int port) implements StunAttribute {
        public Address {
            Objects.requireNonNull(ip, "ip");
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        public InetSocketAddress socketAddress() {
            return new InetSocketAddress(ip, port);
        }

        public boolean isIpv6() {
            return ip instanceof Inet6Address;
        }
    }

    /** UTF-8 text: USERNAME, REALM, NONCE, SOFTWARE, ALTERNATE-DOMAIN. */
    record Text(int type, String value) implements StunAttribute {
        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A number: PRIORITY, ICE-CONTROLLED, ICE-CONTROLLING, LIFETIME, CHANNEL-NUMBER, REQUESTED-TRANSPORT
     * (the protocol number), REQUESTED- and ADDITIONAL-ADDRESS-FAMILY (0x01 IPv4, 0x02 IPv6), EVEN-PORT (the
     * R bit as 0 or 1), RESERVATION-TOKEN, FINGERPRINT. Reserved bits around the field are not kept.
     */
    record Numeric(int type, long value) implements StunAttribute {
    }

    /** An attribute without a value: USE-CANDIDATE, DONT-FRAGMENT. */
    record Flag(int type) implements StunAttribute {
    }

    /**
     * Raw bytes: DATA, USERHASH, MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256, and every attribute this codec
     * does not know. The array is not copied; treat it as read-only.
     */
    record Opaque(int type, byte[] value) implements StunAttribute {
        public Opaque {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque other && other.type == type && Arrays.equals(other.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Opaque[type=0x" + Integer.toHexString(type) + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }

    /** ERROR-CODE (RFC 8489 section 14.8): a code 300..699 and a reason phrase. */
    record ErrorCode(int code, String reason) implements StunAttribute {
        public ErrorCode {
            if (code < 300 || code > 699) {
                throw new IllegalArgumentException("error code out of range 300..699: " + code);
            }
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int type() {
            return StunAttributeType.ERROR_CODE.code();
        }
    }

    /** ADDRESS-ERROR-CODE (RFC 8656 section 18.14): an error for one address family of an allocation. */
    record AddressErrorCode(int family, int code, String reason) implements StunAttribute {
        public AddressErrorCode {
            if (code < 300 || code > 699) {
                throw new IllegalArgumentException("error code out of range 300..699: " + code);
            }
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int type() {
            return StunAttributeType.ADDRESS_ERROR_CODE.code();
        }
    }

    /** UNKNOWN-ATTRIBUTES (RFC 8489 section 14.9): the types a 420 response did not understand. */
    record UnknownAttributes(List<Integer> types) implements StunAttribute {
        public UnknownAttributes {
            types = List.copyOf(types);
        }

        @Override
        public int type() {
            return StunAttributeType.UNKNOWN_ATTRIBUTES.code();
        }
    }

    /**
     * PASSWORD-ALGORITHM (RFC 8489 section 14.12): the algorithm a client picked, 0x0001 MD5 or 0x0002
     * SHA-256, with its parameters (empty for both). The array is not copied.
     */
    record PasswordAlgorithm(int algorithm, byte[] parameters) implements StunAttribute {
        public static final int MD5 = 0x0001;
        public static final int SHA256 = 0x0002;

        public PasswordAlgorithm {
            Objects.requireNonNull(parameters, "parameters");
        }

        public PasswordAlgorithm(int algorithm) {
            this(algorithm, new byte[0]);
        }

        @Override
        public int type() {
            return StunAttributeType.PASSWORD_ALGORITHM.code();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PasswordAlgorithm other && other.algorithm == algorithm
                    && Arrays.equals(other.parameters, parameters);
        }

        @Override
        public int hashCode() {
            return 31 * algorithm + Arrays.hashCode(parameters);
        }
    }

    /** PASSWORD-ALGORITHMS (RFC 8489 section 14.11): the algorithms a server offers, in its order. */
    record PasswordAlgorithms(List<PasswordAlgorithm> algorithms) implements StunAttribute {
        public PasswordAlgorithms {
            algorithms = List.copyOf(algorithms);
        }

        @Override
        public int type() {
            return StunAttributeType.PASSWORD_ALGORITHMS.code();
        }
    }

    /** ICMP (RFC 8656 section 18.13): an ICMP error that a relay received for a peer. */
    record Icmp(int icmpType, int icmpCode, long errorData) implements StunAttribute {
        @Override
        public int type() {
            return StunAttributeType.ICMP.code();
        }
    }

    // Factories for the attributes that STUN, ICE and TURN agents write most.

    static Text username(String username) {
        return new Text(StunAttributeType.USERNAME.code(), username);
    }

    static Text realm(String realm) {
        return new Text(StunAttributeType.REALM.code(), realm);
    }

    static Text nonce(String nonce) {
        return new Text(StunAttributeType.NONCE.code(), nonce);
    }

    static Text software(String software) {
        return new Text(StunAttributeType.SOFTWARE.code(), software);
    }

    static Address xorMappedAddress(InetAddress ip, int port) {
        return new Address(StunAttributeType.XOR_MAPPED_ADDRESS.code(), ip, port);
    }

    static Numeric priority(long priority) {
        return new Numeric(StunAttributeType.PRIORITY.code(), priority);
    }

    static Numeric iceControlled(long tieBreaker) {
        return new Numeric(StunAttributeType.ICE_CONTROLLED.code(), tieBreaker);
    }

    static Numeric iceControlling(long tieBreaker) {
        return new Numeric(StunAttributeType.ICE_CONTROLLING.code(), tieBreaker);
    }

    static Flag useCandidate() {
        return new Flag(StunAttributeType.USE_CANDIDATE.code());
    }
}
