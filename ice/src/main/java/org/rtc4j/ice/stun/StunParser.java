package org.rtc4j.ice.stun;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;
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
 * Decodes a whole message from its bytes. Every length is checked against what is left before it is used,
 * every loop advances by at least four bytes, and nothing is allocated beyond the copy of the input and the
 * attribute values it holds (at most {@link StunMessage#MAX_ATTRIBUTES} of them).
 */
final class StunParser {

    private static final int FINGERPRINT = StunAttributeType.FINGERPRINT.code();
    private static final int INTEGRITY = StunAttributeType.MESSAGE_INTEGRITY.code();
    private static final int INTEGRITY_SHA256 = StunAttributeType.MESSAGE_INTEGRITY_SHA256.code();
    private static final int MAX_REASON = 763;
    /** Bounds on the lists inside one attribute, so that their objects stay few. */
    private static final int MAX_LIST = 64;

    private StunParser() {
    }

    static StunMessage parse(byte[] raw) throws ParseException {
        // RFC 8489 section 5: the header.
        int type = Bytes.getU16(raw, 0);
        if ((type & 0xC000) != 0) {
            throw new ParseException("not STUN: the top two bits are not zero");
        }
        int length = Bytes.getU16(raw, 2);
        if ((length & 3) != 0) {
            throw new ParseException("message length " + length + " is not a multiple of 4");
        }
        if (length + StunMessage.HEADER_LENGTH != raw.length) {
            throw new ParseException("message length " + length + " does not match the " + raw.length
                    + " bytes received");
        }
        if ((int) Bytes.getU32(raw, 4) != StunMessage.MAGIC_COOKIE) {
            throw new ParseException("no magic cookie (an RFC 3489 message, or not STUN)");
        }
        int method = ((type & 0x3E00) >>> 2) | ((type & 0x00E0) >>> 1) | (type & 0x000F);
        StunClass messageClass = StunClass.ofBits(((type >>> 7) & 2) | ((type >>> 4) & 1));
        TransactionId transactionId = TransactionId.of(raw, 8);

        List<StunAttribute> attributes = new ArrayList<>(Math.min(8, length / 4 + 1));
        int integrityAt = -1;
        int integritySha256At = -1;
        boolean fingerprint = false;
        int at = StunMessage.HEADER_LENGTH;
        while (at < raw.length) {
            int code = Bytes.getU16(raw, at);
            int valueLength = Bytes.getU16(raw, at + 2);
            int value = at + 4;
            int next = value + Bytes.pad4(valueLength);
            if (next > raw.length) {
                throw new ParseException(StunAttributeType.name(code) + " at offset " + at + ": length "
                        + valueLength + " runs past the end of the message");
            }
            if (fingerprint) {
                throw new ParseException("an attribute follows FINGERPRINT, which must be last");
            }
            if (code == FINGERPRINT) {
                // RFC 8489 section 14.7: CRC-32 of everything before the attribute, XOR 0x5354554e.
                if (valueLength != 4) {
                    throw new ParseException("FINGERPRINT has " + valueLength + " bytes, not 4");
                }
                int expected = Hmac.local().fingerprint(raw, at);
                int actual = (int) Bytes.getU32(raw, value);
                if (actual != expected) {
                    throw new ParseException("FINGERPRINT does not match the message");
                }
                fingerprint = true;
                attributes.add(new Numeric(code, actual & 0xFFFF_FFFFL));
            } else if (integritySha256At >= 0 || (integrityAt >= 0 && code != INTEGRITY_SHA256)) {
                // RFC 8489 sections 14.5, 14.6: after the integrity attributes, all but FINGERPRINT are ignored.
                at = next;
                continue;
            } else if (code == INTEGRITY_SHA256) {
                attributes.add(opaque(StunAttributeType.MESSAGE_INTEGRITY_SHA256, raw, value, valueLength));
                integritySha256At = at;
            } else if (code == INTEGRITY) {
                attributes.add(opaque(StunAttributeType.MESSAGE_INTEGRITY, raw, value, valueLength));
                integrityAt = at;
            } else {
                attributes.add(decode(code, raw, value, valueLength));
            }
            if (attributes.size() > StunMessage.MAX_ATTRIBUTES) {
                throw new ParseException("more than " + StunMessage.MAX_ATTRIBUTES + " attributes");
            }
            at = next;
        }
        return new StunMessage(method, messageClass, transactionId, Collections.unmodifiableList(attributes), raw,
                integrityAt, integritySha256At, fingerprint);
    }

    private static StunAttribute decode(int code, byte[] raw, int at, int length) throws ParseException {
        StunAttributeType<?> type = StunAttributeType.of(code);
        if (type == null) {
            return new Opaque(code, copy(raw, at, length));
        }
        Class<?> shape = type.shape();
        if (shape == Address.class) {
            return address(type, raw, at, length);
        } else if (shape == Text.class) {
            return new Text(code, text(type.name(), raw, at, length, type.shiftOrMax));
        } else if (shape == Numeric.class) {
            return numeric(type, raw, at, length);
        } else if (shape == Flag.class) {
            if (length != 0) {
                throw new ParseException(type.name() + " has " + length + " bytes, not 0");
            }
            return new Flag(code);
        } else if (shape == Opaque.class) {
            return opaque(type, raw, at, length);
        } else if (shape == ErrorCode.class) {
            return errorCode(raw, at, length);
        } else if (shape == AddressErrorCode.class) {
            ErrorCode e = errorCode(raw, at, length);
            return new AddressErrorCode(raw[at] & 0xFF, e.code(), e.reason());
        } else if (shape == UnknownAttributes.class) {
            return unknownAttributes(raw, at, length);
        } else if (shape == PasswordAlgorithm.class) {
            PasswordAlgorithm algorithm = passwordAlgorithm(raw, at, at + length);
            if (4 + algorithm.parameters().length != length) {
                throw new ParseException("PASSWORD-ALGORITHM length " + length + " does not match its parameters");
            }
            return algorithm;
        } else if (shape == PasswordAlgorithms.class) {
            return passwordAlgorithms(raw, at, length);
        } else if (shape == Icmp.class) {
            if (length != 8) {
                throw new ParseException("ICMP has " + length + " bytes, not 8");
            }
            // RFC 8656 section 18.13: 16 reserved bits, a 7-bit type, a 9-bit code, 32 bits of error data.
            int word = Bytes.getU16(raw, at + 2);
            return new Icmp(word >>> 9, word & 0x1FF, Bytes.getU32(raw, at + 4));
        }
        throw new IllegalStateException("no decoder for " + shape);
    }

    // RFC 8489 sections 14.1 and 14.2: family, port, address; the XOR-ed forms use the magic cookie and,
    // for IPv6, the transaction id.
    private static Address address(StunAttributeType<?> type, byte[] raw, int at, int length) throws ParseException {
        if (length < 4) {
            throw new ParseException(type.name() + " has " + length + " bytes, too short for an address");
        }
        int family = raw[at + 1] & 0xFF;
        int addressLength = family == 0x01 ? 4 : family == 0x02 ? 16 : -1;
        if (addressLength < 0) {
            throw new ParseException(type.name() + ": unknown address family " + family);
        }
        if (length != 4 + addressLength) {
            throw new ParseException(type.name() + " has " + length + " bytes, not " + (4 + addressLength));
        }
        int port = Bytes.getU16(raw, at + 2);
        byte[] ip = copy(raw, at + 4, addressLength);
        if (type.xor) {
            port ^= StunMessage.MAGIC_COOKIE >>> 16;
            for (int i = 0; i < addressLength; i++) {
                ip[i] ^= raw[4 + i]; // the cookie (bytes 4-7) and then the transaction id (8-19)
            }
        }
        try {
            InetAddress address = addressLength == 4 ? InetAddress.getByAddress(ip)
                    : Inet6Address.getByAddress(null, ip, -1);
            return new Address(type.code(), address, port);
        } catch (UnknownHostException e) {
            throw new ParseException(type.name() + ": bad address");
        }
    }

    private static String text(String name, byte[] raw, int at, int length, int max) throws ParseException {
        if (length > max) {
            throw new ParseException(name + " has " + length + " bytes, more than " + max);
        }
        return new String(raw, at, length, StandardCharsets.UTF_8);
    }

    private static Numeric numeric(StunAttributeType<?> type, byte[] raw, int at, int length) throws ParseException {
        if (length != type.width) {
            throw new ParseException(type.name() + " has " + length + " bytes, not " + type.width);
        }
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = (v << 8) | (raw[at + i] & 0xFF);
        }
        int bits = type.width * 8 - type.shiftOrMax;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        return new Numeric(type.code(), (v >>> type.shiftOrMax) & mask);
    }

    private static Opaque opaque(StunAttributeType<?> type, byte[] raw, int at, int length) throws ParseException {
        if (length < type.width || length > type.shiftOrMax) {
            throw new ParseException(type.name() + " has " + length + " bytes, outside " + type.width + ".."
                    + type.shiftOrMax);
        }
        if (type == StunAttributeType.MESSAGE_INTEGRITY_SHA256 && (length & 3) != 0) {
            throw new ParseException("MESSAGE-INTEGRITY-SHA256 has " + length + " bytes, not a multiple of 4");
        }
        return new Opaque(type.code(), copy(raw, at, length));
    }

    // RFC 8489 section 14.8: 21 reserved bits, the class (3 bits, 3-6) and the number (0-99), a reason.
    private static ErrorCode errorCode(byte[] raw, int at, int length) throws ParseException {
        if (length < 4) {
            throw new ParseException("ERROR-CODE has " + length + " bytes, fewer than 4");
        }
        int errorClass = raw[at + 2] & 0x07;
        int number = raw[at + 3] & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            throw new ParseException("ERROR-CODE " + errorClass + "/" + number + " is out of range");
        }
        String reason = text("ERROR-CODE reason", raw, at + 4, length - 4, MAX_REASON);
        return new ErrorCode(errorClass * 100 + number, reason);
    }

    private static UnknownAttributes unknownAttributes(byte[] raw, int at, int length) throws ParseException {
        if ((length & 1) != 0 || length / 2 > MAX_LIST) {
            throw new ParseException("UNKNOWN-ATTRIBUTES has a bad length " + length);
        }
        List<Integer> types = new ArrayList<>(length / 2);
        for (int i = 0; i < length; i += 2) {
            types.add(Bytes.getU16(raw, at + i));
        }
        return new UnknownAttributes(types);
    }

    // RFC 8489 section 14.11: algorithm (16 bits), parameters length (16 bits), parameters, padding.
    private static PasswordAlgorithm passwordAlgorithm(byte[] raw, int at, int end) throws ParseException {
        if (end - at < 4) {
            throw new ParseException("a password algorithm needs 4 bytes, " + (end - at) + " left");
        }
        int algorithm = Bytes.getU16(raw, at);
        int parametersLength = Bytes.getU16(raw, at + 2);
        if (parametersLength > end - at - 4) {
            throw new ParseException("password algorithm parameters of " + parametersLength + " bytes run past the end");
        }
        return new PasswordAlgorithm(algorithm, copy(raw, at + 4, parametersLength));
    }

    private static PasswordAlgorithms passwordAlgorithms(byte[] raw, int at, int length) throws ParseException {
        List<PasswordAlgorithm> algorithms = new ArrayList<>(2);
        int end = at + length;
        for (int i = at; i < end; ) {
            PasswordAlgorithm algorithm = passwordAlgorithm(raw, i, end);
            i += 4 + Bytes.pad4(algorithm.parameters().length);
            if (i > end) {
                throw new ParseException("PASSWORD-ALGORITHMS: padding runs past the end");
            }
            algorithms.add(algorithm);
            if (algorithms.size() > MAX_LIST) {
                throw new ParseException("PASSWORD-ALGORITHMS lists more than " + MAX_LIST + " algorithms");
            }
        }
        return new PasswordAlgorithms(algorithms);
    }

    private static byte[] copy(byte[] raw, int at, int length) {
        byte[] out = new byte[length];
        System.arraycopy(raw, at, out, 0, length);
        return out;
    }
}
