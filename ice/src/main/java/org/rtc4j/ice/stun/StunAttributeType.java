package org.rtc4j.ice.stun;

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
 * A STUN attribute type this codec knows, with the shape of its value: a typed key, so that
 * {@code message.get(StunAttributeType.XOR_MAPPED_ADDRESS)} is an {@link Address}.
 *
 * @param <A> the attribute's shape
 */
public final class StunAttributeType<A extends StunAttribute> {

    // The codec reads the layout fields below; a table lookup by number costs no allocation.
    private static final StunAttributeType<?>[] REQUIRED = new StunAttributeType<?>[0x40];
    private static final StunAttributeType<?>[] OPTIONAL = new StunAttributeType<?>[0x40];

    // RFC 8489 section 18.3.1: comprehension-required.
    public static final StunAttributeType<Address> MAPPED_ADDRESS = address(0x0001, "MAPPED-ADDRESS", false);
    public static final StunAttributeType<Text> USERNAME = text(0x0006, "USERNAME", 512);
    public static final StunAttributeType<Opaque> MESSAGE_INTEGRITY = opaque(0x0008, "MESSAGE-INTEGRITY", 20, 20);
    public static final StunAttributeType<ErrorCode> ERROR_CODE = define(0x0009, "ERROR-CODE", ErrorCode.class, 0, 0);
    public static final StunAttributeType<UnknownAttributes> UNKNOWN_ATTRIBUTES =
            define(0x000A, "UNKNOWN-ATTRIBUTES", UnknownAttributes.class, 0, 0);
    public static final StunAttributeType<Text> REALM = text(0x0014, "REALM", 763);
    public static final StunAttributeType<Text> NONCE = text(0x0015, "NONCE", 763);
    public static final StunAttributeType<Opaque> MESSAGE_INTEGRITY_SHA256 =
            opaque(0x001C, "MESSAGE-INTEGRITY-SHA256", 16, 32);
    public static final StunAttributeType<PasswordAlgorithm> PASSWORD_ALGORITHM =
            define(0x001D, "PASSWORD-ALGORITHM", PasswordAlgorithm.class, 0, 0);
    public static final StunAttributeType<Opaque> USERHASH = opaque(0x001E, "USERHASH", 32, 32);
    public static final StunAttributeType<Address> XOR_MAPPED_ADDRESS = address(0x0020, "XOR-MAPPED-ADDRESS", true);

    // RFC 8656 section 18 (TURN): comprehension-required.
    public static final StunAttributeType<Numeric> CHANNEL_NUMBER = numeric(0x000C, "CHANNEL-NUMBER", 4, 16);
    public static final StunAttributeType<Numeric> LIFETIME = numeric(0x000D, "LIFETIME", 4, 0);
    public static final StunAttributeType<Address> XOR_PEER_ADDRESS = address(0x0012, "XOR-PEER-ADDRESS", true);
    public static final StunAttributeType<Opaque> DATA = opaque(0x0013, "DATA", 0, 0xFFFF);
    public static final StunAttributeType<Address> XOR_RELAYED_ADDRESS = address(0x0016, "XOR-RELAYED-ADDRESS", true);
    public static final StunAttributeType<Numeric> REQUESTED_ADDRESS_FAMILY =
            numeric(0x0017, "REQUESTED-ADDRESS-FAMILY", 4, 24);
    public static final StunAttributeType<Numeric> EVEN_PORT = numeric(0x0018, "EVEN-PORT", 1, 7);
    public static final StunAttributeType<Numeric> REQUESTED_TRANSPORT = numeric(0x0019, "REQUESTED-TRANSPORT", 4, 24);
    public static final StunAttributeType<Flag> DONT_FRAGMENT = flag(0x001A, "DONT-FRAGMENT");
    public static final StunAttributeType<Numeric> RESERVATION_TOKEN = numeric(0x0022, "RESERVATION-TOKEN", 8, 0);

    // RFC 8445 section 16.1 (ICE): comprehension-required.
    public static final StunAttributeType<Numeric> PRIORITY = numeric(0x0024, "PRIORITY", 4, 0);
    public static final StunAttributeType<Flag> USE_CANDIDATE = flag(0x0025, "USE-CANDIDATE");

    // Comprehension-optional: RFC 8656, RFC 8489 section 18.3.2, RFC 8445.
    public static final StunAttributeType<Numeric> ADDITIONAL_ADDRESS_FAMILY =
            numeric(0x8000, "ADDITIONAL-ADDRESS-FAMILY", 4, 24);
    public static final StunAttributeType<AddressErrorCode> ADDRESS_ERROR_CODE =
            define(0x8001, "ADDRESS-ERROR-CODE", AddressErrorCode.class, 0, 0);
    public static final StunAttributeType<PasswordAlgorithms> PASSWORD_ALGORITHMS =
            define(0x8002, "PASSWORD-ALGORITHMS", PasswordAlgorithms.class, 0, 0);
    public static final StunAttributeType<Text> ALTERNATE_DOMAIN = text(0x8003, "ALTERNATE-DOMAIN", 255);
    public static final StunAttributeType<Icmp> ICMP = define(0x8004, "ICMP", Icmp.class, 8, 0);
    public static final StunAttributeType<Text> SOFTWARE = text(0x8022, "SOFTWARE", 763);
    public static final StunAttributeType<Address> ALTERNATE_SERVER = address(0x8023, "ALTERNATE-SERVER", false);
    public static final StunAttributeType<Numeric> FINGERPRINT = numeric(0x8028, "FINGERPRINT", 4, 0);
    public static final StunAttributeType<Numeric> ICE_CONTROLLED = numeric(0x8029, "ICE-CONTROLLED", 8, 0);
    public static final StunAttributeType<Numeric> ICE_CONTROLLING = numeric(0x802A, "ICE-CONTROLLING", 8, 0);

    private final int code;
    private final String name;
    private final Class<A> shape;
    /** Numeric: the value's length in bytes; Opaque: the least length. */
    final int width;
    /** Numeric: where the field sits (bits from the right); Text, Opaque: the greatest length in bytes. */
    final int shiftOrMax;
    /** Address: whether it is XOR-ed. */
    final boolean xor;

    private StunAttributeType(int code, String name, Class<A> shape, int width, int shiftOrMax, boolean xor) {
        this.code = code;
        this.name = name;
        this.shape = shape;
        this.width = width;
        this.shiftOrMax = shiftOrMax;
        this.xor = xor;
    }

    /** The known type with this number, or {@code null}. */
    public static StunAttributeType<?> of(int code) {
        int index = code & 0x7FFF;
        if (index >= 0x40) {
            return null;
        }
        return code < 0x8000 ? REQUIRED[index] : OPTIONAL[index];
    }

    /** RFC 8489 section 14: types 0x0000-0x7FFF must be understood, or the request is refused (420). */
    public static boolean isComprehensionRequired(int code) {
        return code < 0x8000;
    }

    /** The name of a type number for logs: the RFC's name, or hex. */
    public static String name(int code) {
        StunAttributeType<?> type = of(code);
        return type != null ? type.name : String.format("0x%04x", code);
    }

    public int code() {
        return code;
    }

    public String name() {
        return name;
    }

    public Class<A> shape() {
        return shape;
    }

    @Override
    public String toString() {
        return name;
    }

    private static <A extends StunAttribute> StunAttributeType<A> define(
            int code, String name, Class<A> shape, int width, int shiftOrMax) {
        return register(new StunAttributeType<>(code, name, shape, width, shiftOrMax, false));
    }

    private static <A extends StunAttribute> StunAttributeType<A> register(StunAttributeType<A> type) {
        StunAttributeType<?>[] table = type.code < 0x8000 ? REQUIRED : OPTIONAL;
        table[type.code & 0x7FFF] = type;
        return type;
    }

    private static StunAttributeType<Address> address(int code, String name, boolean xor) {
        return register(new StunAttributeType<>(code, name, Address.class, 0, 0, xor));
    }

    private static StunAttributeType<Text> text(int code, String name, int maxBytes) {
        return define(code, name, Text.class, 0, maxBytes);
    }

    private static StunAttributeType<Numeric> numeric(int code, String name, int width, int shift) {
        return define(code, name, Numeric.class, width, shift);
    }

    private static StunAttributeType<Flag> flag(int code, String name) {
        return define(code, name, Flag.class, 0, 0);
    }

    private static StunAttributeType<Opaque> opaque(int code, String name, int min, int max) {
        return define(code, name, Opaque.class, min, max);
    }
}
