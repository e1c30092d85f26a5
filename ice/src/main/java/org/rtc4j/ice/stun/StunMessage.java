package org.rtc4j.ice.stun;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;

/**
 * A STUN message (RFC 8489): an immutable value that holds its typed attributes and its encoded bytes.
 * Messages come from {@link #parse(ByteBuffer)} (bytes from the network) or from a {@link Builder} (which
 * computes MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT); either way {@link #writeTo} sends
 * the same bytes that {@link #attributes()} describe.
 *
 * <pre>{@code
 * StunMessage request = StunMessage.request(StunMethod.BINDING)
 *         .add(StunAttribute.username("remote:local"))
 *         .add(StunAttribute.priority(priority))
 *         .integrity(StunKey.shortTerm(remotePassword))
 *         .fingerprint()
 *         .build();
 * StunMessage response = StunMessage.parse(datagram);       // ParseException: drop and count
 * if (response.verifyIntegrity(key)) {
 *     Address mapped = response.get(StunAttributeType.XOR_MAPPED_ADDRESS);
 * }
 * }</pre>
 */
public final class StunMessage {

    /** RFC 8489 section 5: the fixed value in bytes 4-7 of every message. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    /** A parsed message may hold this many attributes at most, so one message never allocates much. */
    public static final int MAX_ATTRIBUTES = 128;

    private final int method;
    private final StunClass messageClass;
    private final TransactionId transactionId;
    private final List<StunAttribute> attributes;
    private final byte[] raw;
    /** Offsets of the MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256 attribute headers, or -1. */
    private final int integrityAt;
    private final int integritySha256At;
    private final boolean fingerprint;

    StunMessage(int method, StunClass messageClass, TransactionId transactionId, List<StunAttribute> attributes,
            byte[] raw, int integrityAt, int integritySha256At, boolean fingerprint) {
        this.method = method;
        this.messageClass = messageClass;
        this.transactionId = transactionId;
        this.attributes = attributes;
        this.raw = raw;
        this.integrityAt = integrityAt;
        this.integritySha256At = integritySha256At;
        this.fingerprint = fingerprint;
    }

    /**
     * Parses one whole message: the bytes between the buffer's position and limit, which must be exactly
     * one message (a datagram, or a frame cut from a stream). The buffer is not moved, and the message keeps
     * a copy, so the caller may reuse the buffer.
     *
     * <p>A FINGERPRINT, when present, is checked here; MESSAGE-INTEGRITY is checked by
     * {@link #verifyIntegrity(StunKey)}, once the key is known.
     *
     * @throws ParseException with the reason when the bytes are not a well-formed STUN message
     */
    public static StunMessage parse(ByteBuffer data) throws ParseException {
        int length = data.remaining();
        if (length < HEADER_LENGTH) {
            throw new ParseException("shorter than a STUN header: " + length + " bytes");
        }
        if (length > HEADER_LENGTH + 0xFFFF) {
            throw new ParseException("longer than any STUN message: " + length + " bytes");
        }
        byte[] copy = new byte[length];
        data.get(data.position(), copy, 0, length);
        return StunParser.parse(copy);
    }

    public static StunMessage parse(byte[] data, int offset, int length) throws ParseException {
        return parse(ByteBuffer.wrap(data, offset, length));
    }

    public static StunMessage parse(byte[] data) throws ParseException {
        return parse(ByteBuffer.wrap(data));
    }

    /**
     * Whether the bytes can be a STUN message, checked without parsing: the top two bits are zero, the
     * magic cookie is in place and the length field matches (RFC 8489 section 6.3; RFC 7983 demultiplexing).
     */
    public static boolean isStun(ByteBuffer data) {
        int p = data.position();
        int n = data.remaining();
        return n >= HEADER_LENGTH && (data.get(p) & 0xC0) == 0 && data.get(p + 4) == 0x21
                && data.get(p + 5) == 0x12 && data.get(p + 6) == (byte) 0xA4 && data.get(p + 7) == 0x42
                && ((data.get(p + 2) & 0xFF) << 8 | (data.get(p + 3) & 0xFF)) + HEADER_LENGTH == n;
    }

    /** A builder for a request with a fresh random transaction id. */
    public static Builder request(int method) {
        return new Builder(method, StunClass.REQUEST, TransactionId.random());
    }

    public static Builder builder(int method, StunClass messageClass, TransactionId transactionId) {
        return new Builder(method, messageClass, transactionId);
    }

    /** A builder for the success response to this request: same method and transaction id. */
    public Builder successResponse() {
        return new Builder(method, StunClass.SUCCESS_RESPONSE, transactionId);
    }

    /** A builder for an error response to this request, with its ERROR-CODE already added. */
    public Builder errorResponse(int code, String reason) {
        return new Builder(method, StunClass.ERROR_RESPONSE, transactionId)
                .add(new StunAttribute.ErrorCode(code, reason));
    }

    public int method() {
        return method;
    }

    public StunClass messageClass() {
        return messageClass;
    }

    public TransactionId transactionId() {
        return transactionId;
    }

    /**
     * The attributes in message order (immutable). Attributes after MESSAGE-INTEGRITY other than
     * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are left out, as RFC 8489 section 14.5 says to ignore them.
     */
    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** The first attribute of this type, or {@code null}. */
    public <A extends StunAttribute> A get(StunAttributeType<A> type) {
        int code = type.code();
        for (int i = 0, n = attributes.size(); i < n; i++) {
            StunAttribute a = attributes.get(i);
            if (a.type() == code) {
                return type.shape().isInstance(a) ? type.shape().cast(a) : null;
            }
        }
        return null;
    }

    public boolean has(StunAttributeType<?> type) {
        return get(type) != null;
    }

    /**
     * The comprehension-required attribute types this codec does not know, in order, without repeats: a
     * server answers a request that has any with 420 and UNKNOWN-ATTRIBUTES (RFC 8489 section 6.3.1.1).
     */
    public List<Integer> unknownComprehensionRequired() {
        List<Integer> unknown = null;
        for (int i = 0, n = attributes.size(); i < n; i++) {
            StunAttribute a = attributes.get(i);
            int code = a.type();
            if (StunAttributeType.isComprehensionRequired(code) && StunAttributeType.of(code) == null) {
                if (unknown == null) {
                    unknown = new ArrayList<>(2);
                }
                if (!unknown.contains(code)) {
                    unknown.add(code);
                }
            }
        }
        return unknown == null ? List.of() : unknown;
    }

    /** Whether the message carries MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256. */
    public boolean hasIntegrity() {
        return integrityAt >= 0 || integritySha256At >= 0;
    }

    /** Whether the message carries a FINGERPRINT (which {@link #parse} has checked). */
    public boolean hasFingerprint() {
        return fingerprint;
    }

    /**
     * Checks the message's integrity with {@code key}: MESSAGE-INTEGRITY-SHA256 when present, else
     * MESSAGE-INTEGRITY (RFC 8489 sections 14.5, 14.6), in constant time. False when there is neither.
     */
    public boolean verifyIntegrity(StunKey key) {
        Objects.requireNonNull(key, "key");
        return verify(key.key()) || (key.alternate() != null && verify(key.alternate()));
    }

    private boolean verify(byte[] key) {
        int at;
        int algorithm;
        if (integritySha256At >= 0) {
            at = integritySha256At;
            algorithm = Hmac.SHA256;
        } else if (integrityAt >= 0) {
            at = integrityAt;
            algorithm = Hmac.SHA1;
        } else {
            return false;
        }
        int macLength = Bytes.getU16(raw, at + 2);
        Hmac hmac = Hmac.local();
        // The length field counts up to the end of the integrity attribute itself.
        hmac.compute(algorithm, key, raw, at, at + 4 + macLength - HEADER_LENGTH);
        int diff = 0;
        for (int i = 0; i < macLength; i++) {
            diff |= hmac.out[i] ^ raw[at + 4 + i];
        }
        return diff == 0;
    }

    /** The encoded length in bytes, header included. */
    public int length() {
        return raw.length;
    }

    /** Writes the encoded message at the buffer's position, and moves the position past it. */
    public void writeTo(ByteBuffer out) {
        out.put(raw);
    }

    /** A copy of the encoded message. */
    public byte[] toBytes() {
        return raw.clone();
    }

    /** A read-only view of the encoded message (no copy). */
    public ByteBuffer asBuffer() {
        return ByteBuffer.wrap(raw).asReadOnlyBuffer();
    }

    /** Equal when the encoded bytes are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StunMessage other && MessageDigest.isEqual(other.raw, raw);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(StunMethod.name(method)).append(' ').append(messageClass)
                .append(' ').append(transactionId).append(" [");
        for (int i = 0; i < attributes.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(StunAttributeType.name(attributes.get(i).type()));
        }
        return s.append(']').toString();
    }

    /**
     * Builds a message. Add attributes in the order they go on the wire; MESSAGE-INTEGRITY,
     * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are not added by hand but asked for, and
     * {@link #build()} computes and appends them in that order (RFC 8489 section 14).
     */
    public static final class Builder {

        private final int method;
        private final StunClass messageClass;
        private final TransactionId transactionId;
        private final List<StunAttribute> attributes = new ArrayList<>(8);
        private StunKey integrity;
        private StunKey integritySha256;
        private boolean fingerprint;
        private byte padding;

        Builder(int method, StunClass messageClass, TransactionId transactionId) {
            if (method < 0 || method > 0xFFF) {
                throw new IllegalArgumentException("a STUN method has 12 bits: " + method);
            }
            this.method = method;
            this.messageClass = Objects.requireNonNull(messageClass, "messageClass");
            this.transactionId = Objects.requireNonNull(transactionId, "transactionId");
        }

        /**
         * Appends an attribute.
         *
         * @throws IllegalArgumentException for an attribute of a known type in the wrong shape, or for
         *     MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (use the methods of the same names)
         */
        public Builder add(StunAttribute attribute) {
            int code = attribute.type();
            if (code < 0 || code > 0xFFFF) {
                throw new IllegalArgumentException("attribute type out of range: " + code);
            }
            if (code == StunAttributeType.MESSAGE_INTEGRITY.code()
                    || code == StunAttributeType.MESSAGE_INTEGRITY_SHA256.code()
                    || code == StunAttributeType.FINGERPRINT.code()) {
                throw new IllegalArgumentException(StunAttributeType.name(code)
                        + " is computed by build(): ask for it with integrity(), integritySha256() or fingerprint()");
            }
            StunAttributeType<?> known = StunAttributeType.of(code);
            if (known != null && !known.shape().isInstance(attribute)) {
                throw new IllegalArgumentException(known.name() + " is a " + known.shape().getSimpleName()
                        + ", not " + attribute);
            }
            attributes.add(attribute);
            return this;
        }

        /** Appends MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 section 14.5) computed with this key. */
        public Builder integrity(StunKey key) {
            this.integrity = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Appends MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, 32 bytes, RFC 8489 section 14.6). */
        public Builder integritySha256(StunKey key) {
            this.integritySha256 = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Appends FINGERPRINT (RFC 8489 section 14.7) as the last attribute. */
        public Builder fingerprint() {
            this.fingerprint = true;
            return this;
        }

        /**
         * The byte that pads attribute values to a multiple of four (default zero). Receivers ignore it
         * (RFC 8489 section 14); the RFC 5769 test vectors pad with spaces.
         */
        public Builder padding(int value) {
            this.padding = (byte) value;
            return this;
        }

        /**
         * Encodes the message.
         *
         * @throws IllegalArgumentException when it would be longer than a STUN message can be
         */
        public StunMessage build() {
            return StunWriter.write(method, messageClass, transactionId, attributes, integrity, integritySha256,
                    fingerprint, padding);
        }
    }
}
