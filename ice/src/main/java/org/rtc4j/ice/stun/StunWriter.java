package org.rtc4j.ice.stun;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.rtc4j.core.Bytes;
import org.rtc4j.ice.stun.StunAttribute.Address;
import org.rtc4j.ice.stun.StunAttribute.AddressErrorCode;
import org.rtc4j.ice.stun.StunAttribute.ErrorCode;
import org.rtc4j.ice.stun.StunAttribute.Flag;
import org.rtc4j.ice.stun.StunAttribute.Icmp;
import org.rtc4j.ice.stun.StunAttribute.Numeric;
import org.rtc4j.ice.stun.StunAttribute.Opaque;
import org.rtc4j.ice.stun.StunAttribute.PasswordAlgorithm;
import org.rtc4j.ice.stun.StunAttribute.PasswordAlgorithms;
import org.rtc4j.ice.stun.StunAttribute.Text;
import org.rtc4j.ice.stun.StunAttribute.UnknownAttributes;

/**
 * Encodes a message in two passes: the exact length first, then the bytes straight into an array of that
 * size (text is UTF-8 encoded in place), so building allocates the result and little else.
 */
final class StunWriter {

    private static final int INTEGRITY_LENGTH = 4 + 20;
    private static final int INTEGRITY_SHA256_LENGTH = 4 + 32;
    private static final int FINGERPRINT_LENGTH = 4 + 4;

    private StunWriter() {
    }

    static StunMessage write(int method, StunClass messageClass, TransactionId transactionId,
            List<StunAttribute> attributes, StunKey integrity, StunKey integritySha256, boolean fingerprint,
            byte padding) {
        int length = StunMessage.HEADER_LENGTH;
        for (int i = 0, n = attributes.size(); i < n; i++) {
            int valueLength = valueLength(attributes.get(i));
            if (valueLength > 0xFFFF) {
                throw new IllegalArgumentException(attributes.get(i) + " is too long for a STUN attribute");
            }
            length += 4 + Bytes.pad4(valueLength);
        }
        length += (integrity != null ? INTEGRITY_LENGTH : 0)
                + (integritySha256 != null ? INTEGRITY_SHA256_LENGTH : 0) + (fingerprint ? FINGERPRINT_LENGTH : 0);
        if (length - StunMessage.HEADER_LENGTH > 0xFFFF) {
            throw new IllegalArgumentException("message of " + length + " bytes is too long for STUN");
        }
        byte[] raw = new byte[length];

        // RFC 8489 section 5: the method's 12 bits with the two class bits spread between them.
        int c = messageClass.bits();
        int type = ((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F) | ((c & 2) << 7)
                | ((c & 1) << 4);
        Bytes.putU16(raw, 0, type);
        Bytes.putU32(raw, 4, StunMessage.MAGIC_COOKIE);
        transactionId.writeTo(raw, 8);

        int at = StunMessage.HEADER_LENGTH;
        for (int i = 0, n = attributes.size(); i < n; i++) {
            at = writeAttribute(attributes.get(i), raw, at, padding);
        }
        List<StunAttribute> all = attributes;
        int integrityAt = -1;
        int integritySha256At = -1;
        if (integrity != null || integritySha256 != null || fingerprint) {
            all = new ArrayList<>(attributes.size() + 3);
            all.addAll(attributes);
        }
        Hmac hmac = integrity != null || integritySha256 != null || fingerprint ? Hmac.local() : null;
        if (integrity != null) {
            integrityAt = at;
            at = writeIntegrity(hmac, Hmac.SHA1, StunAttributeType.MESSAGE_INTEGRITY, integrity, raw, at, 20, all);
        }
        if (integritySha256 != null) {
            integritySha256At = at;
            at = writeIntegrity(hmac, Hmac.SHA256, StunAttributeType.MESSAGE_INTEGRITY_SHA256, integritySha256, raw,
                    at, 32, all);
        }
        Bytes.putU16(raw, 2, length - StunMessage.HEADER_LENGTH);
        if (fingerprint) {
            int crc = hmac.fingerprint(raw, at);
            Bytes.putU16(raw, at, StunAttributeType.FINGERPRINT.code());
            Bytes.putU16(raw, at + 2, 4);
            Bytes.putU32(raw, at + 4, crc);
            all.add(new Numeric(StunAttributeType.FINGERPRINT.code(), crc & 0xFFFF_FFFFL));
        }
        List<StunAttribute> frozen = all == attributes ? List.copyOf(attributes) : Collections.unmodifiableList(all);
        return new StunMessage(method, messageClass, transactionId, frozen, raw, integrityAt, integritySha256At,
                fingerprint);
    }

    // RFC 8489 sections 14.5, 14.6: the HMAC covers the message up to the attribute, with the header's
    // length field counting up to the end of the attribute.
    private static int writeIntegrity(Hmac hmac, int algorithm, StunAttributeType<?> type, StunKey key, byte[] raw,
            int at, int macLength, List<StunAttribute> all) {
        hmac.compute(algorithm, key.key(), raw, at, at + 4 + macLength - StunMessage.HEADER_LENGTH);
        Bytes.putU16(raw, at, type.code());
        Bytes.putU16(raw, at + 2, macLength);
        System.arraycopy(hmac.out, 0, raw, at + 4, macLength);
        all.add(new Opaque(type.code(), Arrays.copyOf(hmac.out, macLength)));
        return at + 4 + macLength;
    }

    // Tests of instanceof rather than a switch over the sealed type: a pattern switch bootstraps an
    // invokedynamic call site at its first use, which the start-up cache does not keep (issue 23).
    private static int valueLength(StunAttribute attribute) {
        if (attribute instanceof Address a) {
            return a.ip() instanceof Inet4Address ? 8 : 20;
        } else if (attribute instanceof Text t) {
            return utf8Length(t.value());
        } else if (attribute instanceof Numeric n) {
            return numericType(n).width;
        } else if (attribute instanceof Flag) {
            return 0;
        } else if (attribute instanceof Opaque o) {
            return o.value().length;
        } else if (attribute instanceof ErrorCode e) {
            return 4 + utf8Length(e.reason());
        } else if (attribute instanceof AddressErrorCode e) {
            return 4 + utf8Length(e.reason());
        } else if (attribute instanceof UnknownAttributes u) {
            return 2 * u.types().size();
        } else if (attribute instanceof PasswordAlgorithm p) {
            return 4 + p.parameters().length; // the attribute's own padding follows
        } else if (attribute instanceof PasswordAlgorithms p) {
            int sum = 0;
            for (PasswordAlgorithm algorithm : p.algorithms()) {
                sum += 4 + Bytes.pad4(algorithm.parameters().length);
            }
            return sum;
        } else if (attribute instanceof Icmp) {
            return 8;
        }
        throw new IllegalArgumentException("no encoding for " + attribute.getClass());
    }

    private static StunAttributeType<?> numericType(Numeric n) {
        StunAttributeType<?> type = StunAttributeType.of(n.type());
        if (type == null || type.shape() != Numeric.class) {
            throw new IllegalArgumentException("no known numeric attribute has type 0x" + Integer.toHexString(n.type())
                    + ": send unknown attributes as Opaque");
        }
        return type;
    }

    private static int writeAttribute(StunAttribute attribute, byte[] raw, int at, byte padding) {
        int value = at + 4;
        int end = writeValue(attribute, raw, value);
        Bytes.putU16(raw, at, attribute.type());
        Bytes.putU16(raw, at + 2, end - value);
        int padded = value + Bytes.pad4(end - value);
        Arrays.fill(raw, end, padded, padding);
        return padded;
    }

    /** The attribute's value at {@code raw[value ..]}; returns where it ends, before padding. */
    private static int writeValue(StunAttribute attribute, byte[] raw, int value) {
        if (attribute instanceof Address a) {
            return writeAddress(a, raw, value);
        } else if (attribute instanceof Text t) {
            return writeUtf8(t.value(), raw, value);
        } else if (attribute instanceof Numeric n) {
            StunAttributeType<?> type = numericType(n);
            long v = n.value() << type.shiftOrMax;
            for (int i = type.width - 1; i >= 0; i--) {
                raw[value + i] = (byte) v;
                v >>>= 8;
            }
            return value + type.width;
        } else if (attribute instanceof Flag) {
            return value;
        } else if (attribute instanceof Opaque o) {
            System.arraycopy(o.value(), 0, raw, value, o.value().length);
            return value + o.value().length;
        } else if (attribute instanceof ErrorCode e) {
            return writeError(0, e.code(), e.reason(), raw, value);
        } else if (attribute instanceof AddressErrorCode e) {
            return writeError(e.family(), e.code(), e.reason(), raw, value);
        } else if (attribute instanceof UnknownAttributes u) {
            int p = value;
            for (int t : u.types()) {
                Bytes.putU16(raw, p, t);
                p += 2;
            }
            return p;
        } else if (attribute instanceof PasswordAlgorithm p) {
            return writeAlgorithm(p, raw, value) - Bytes.pad4(p.parameters().length) + p.parameters().length;
        } else if (attribute instanceof PasswordAlgorithms p) {
            int q = value;
            for (PasswordAlgorithm algorithm : p.algorithms()) {
                q = writeAlgorithm(algorithm, raw, q);
            }
            return q;
        } else if (attribute instanceof Icmp i) {
            Bytes.putU16(raw, value + 2, (i.icmpType() & 0x7F) << 9 | (i.icmpCode() & 0x1FF));
            Bytes.putU32(raw, value + 4, i.errorData());
            return value + 8;
        }
        throw new IllegalArgumentException("no encoding for " + attribute.getClass());
    }

    private static int writeAddress(Address a, byte[] raw, int at) {
        StunAttributeType<?> type = StunAttributeType.of(a.type());
        boolean xor = type != null && type.xor;
        byte[] ip = a.ip().getAddress();
        raw[at + 1] = (byte) (ip.length == 4 ? 0x01 : 0x02);
        Bytes.putU16(raw, at + 2, xor ? a.port() ^ (StunMessage.MAGIC_COOKIE >>> 16) : a.port());
        for (int i = 0; i < ip.length; i++) {
            raw[at + 4 + i] = xor ? (byte) (ip[i] ^ raw[4 + i]) : ip[i]; // cookie, then transaction id
        }
        return at + 4 + ip.length;
    }

    // RFC 8489 section 14.8: the code as class (hundreds) and number.
    private static int writeError(int family, int code, String reason, byte[] raw, int at) {
        raw[at] = (byte) family;
        raw[at + 2] = (byte) (code / 100);
        raw[at + 3] = (byte) (code % 100);
        return writeUtf8(reason, raw, at + 4);
    }

    private static int writeAlgorithm(PasswordAlgorithm p, byte[] raw, int at) {
        byte[] parameters = p.parameters();
        Bytes.putU16(raw, at, p.algorithm());
        Bytes.putU16(raw, at + 2, parameters.length);
        System.arraycopy(parameters, 0, raw, at + 4, parameters.length);
        return at + 4 + Bytes.pad4(parameters.length);
    }

    /** UTF-8 length of a string; an unpaired surrogate counts as the one byte '?' it is written as. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static int writeUtf8(String s, byte[] raw, int at) {
        int p = at;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                raw[p++] = (byte) c;
            } else if (c < 0x800) {
                raw[p++] = (byte) (0xC0 | c >> 6);
                raw[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                raw[p++] = (byte) (0xF0 | cp >> 18);
                raw[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                raw[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                raw[p++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                raw[p++] = '?';
            } else {
                raw[p++] = (byte) (0xE0 | c >> 12);
                raw[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                raw[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return p;
    }
}
