package org.rtc4j.ice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
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

class StunMessageTest {

    private static final TransactionId ID = TransactionId.of(Bytes.fromHex("0102030405060708090a0b0c"));

    @Test
    void everyKnownAttributeShapeSurvivesARoundTrip() throws Exception {
        List<StunAttribute> attributes = List.of(
                new Address(StunAttributeType.MAPPED_ADDRESS.code(), InetAddress.getByName("10.1.2.3"), 1),
                StunAttribute.xorMappedAddress(InetAddress.getByName("::1"), 65535),
                new Address(StunAttributeType.XOR_PEER_ADDRESS.code(), InetAddress.getByName("192.0.2.9"), 4000),
                new Address(StunAttributeType.XOR_RELAYED_ADDRESS.code(), InetAddress.getByName("2001:db8::5"), 5),
                new Address(StunAttributeType.ALTERNATE_SERVER.code(), InetAddress.getByName("2001:db8::6"), 3478),
                StunAttribute.username("ユーザー:bob"),
                StunAttribute.realm("example.org"),
                StunAttribute.nonce("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA"),
                StunAttribute.software("rtc4j \uD83D\uDE00"),
                new Text(StunAttributeType.ALTERNATE_DOMAIN.code(), "turn.example.org"),
                new ErrorCode(438, "Stale Nonce"),
                new UnknownAttributes(List.of(0x7777, 0x0003, 0x0042)),
                new PasswordAlgorithm(PasswordAlgorithm.SHA256),
                new PasswordAlgorithms(List.of(new PasswordAlgorithm(PasswordAlgorithm.MD5),
                        new PasswordAlgorithm(0x0777, new byte[] {1, 2, 3}))),
                new Opaque(StunAttributeType.USERHASH.code(), new byte[32]),
                StunAttribute.priority(0xFFFF_FFFFL),
                StunAttribute.useCandidate(),
                StunAttribute.iceControlling(-2L),
                StunAttribute.iceControlled(Long.MAX_VALUE),
                new Numeric(StunAttributeType.CHANNEL_NUMBER.code(), 0x4000),
                new Numeric(StunAttributeType.LIFETIME.code(), 600),
                new Opaque(StunAttributeType.DATA.code(), new byte[] {9, 8, 7, 6, 5}),
                new Numeric(StunAttributeType.REQUESTED_ADDRESS_FAMILY.code(), 2),
                new Numeric(StunAttributeType.ADDITIONAL_ADDRESS_FAMILY.code(), 2),
                new Numeric(StunAttributeType.EVEN_PORT.code(), 1),
                new Numeric(StunAttributeType.REQUESTED_TRANSPORT.code(), 17),
                new Flag(StunAttributeType.DONT_FRAGMENT.code()),
                new Numeric(StunAttributeType.RESERVATION_TOKEN.code(), 0x0102030405060708L),
                new AddressErrorCode(2, 440, "Address Family not Supported"),
                new Icmp(3, 4, 1400),
                new Opaque(0xC001, new byte[] {1}),
                new Opaque(0x7001, new byte[0]));
        StunMessage.Builder builder = StunMessage.builder(StunMethod.ALLOCATE, StunClass.ERROR_RESPONSE, ID);
        attributes.forEach(builder::add);
        StunMessage built = builder.fingerprint().build();

        StunMessage parsed = StunMessage.parse(built.toBytes());
        assertThat(parsed.method()).isEqualTo(StunMethod.ALLOCATE);
        assertThat(parsed.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(parsed.transactionId()).isEqualTo(ID);
        assertThat(parsed.attributes().subList(0, attributes.size())).containsExactlyElementsOf(attributes);
        assertThat(parsed.attributes()).isEqualTo(built.attributes());
        assertThat(parsed).isEqualTo(built);
        assertThat(parsed.unknownComprehensionRequired()).containsExactly(0x7001);
        assertThat(parsed.get(StunAttributeType.ERROR_CODE).code()).isEqualTo(438);
        assertThat(parsed.get(StunAttributeType.MESSAGE_INTEGRITY)).isNull();
    }

    @Test
    void everyMethodAndClassEncodesAndDecodes() throws ParseException {
        for (int method : new int[] {0x000, 0x001, 0x003, 0x009, 0x0AB, 0xFFF}) {
            for (StunClass c : StunClass.values()) {
                StunMessage m = StunMessage.parse(StunMessage.builder(method, c, ID).build().toBytes());
                assertThat(m.method()).isEqualTo(method);
                assertThat(m.messageClass()).isEqualTo(c);
            }
        }
        // RFC 8489 section 5: a Binding success response is 0x0101, an error response 0x0111.
        assertThat(StunMessage.builder(1, StunClass.SUCCESS_RESPONSE, ID).build().toBytes()[0]).isEqualTo((byte) 1);
        assertThat(StunMessage.builder(1, StunClass.ERROR_RESPONSE, ID).build().toBytes()[1]).isEqualTo((byte) 0x11);
    }

    @Test
    void integritySha256AndBothIntegritiesVerify() throws ParseException {
        StunKey key = StunKey.longTerm("alice", "test", "secret", PasswordAlgorithm.SHA256);
        StunMessage both = StunMessage.request(StunMethod.ALLOCATE)
                .add(StunAttribute.username("alice"))
                .integrity(key)
                .integritySha256(key)
                .fingerprint()
                .build();
        StunMessage parsed = StunMessage.parse(both.toBytes());
        assertThat(parsed.get(StunAttributeType.MESSAGE_INTEGRITY_SHA256).value()).hasSize(32);
        assertThat(parsed.verifyIntegrity(key)).isTrue();
        assertThat(parsed.verifyIntegrity(StunKey.longTerm("alice", "test", "secret"))).isFalse();
        assertThat(parsed.verifyIntegrity(StunKey.longTerm("alice", "test", "Secret", PasswordAlgorithm.SHA256)))
                .isFalse();
    }

    @Test
    void longTermKeysAreTheHashesOfRfc8489() {
        // MD5("alice:test:secret"), computed independently of the codec.
        assertThat(Bytes.hex(StunKey.longTerm("alice", "test", "secret").bytes()))
                .isEqualTo(Bytes.hex(md5("alice:test:secret")));
        // RFC 8489 appendix B.1: USERHASH of the user and realm of that example.
        assertThat(Bytes.hex(StunKey.userhash(Rfc5769VectorsTest.LONG_TERM_USER, "example.org")))
                .isEqualTo("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704");
    }

    @Test
    void attributesAfterIntegrityAreIgnoredButFingerprintCounts() throws ParseException {
        byte[] signed = StunMessage.request(StunMethod.BINDING).integrity(StunKey.shortTerm("pw")).build().toBytes();
        // Append SOFTWARE after MESSAGE-INTEGRITY and fix the length: still parses, SOFTWARE is not kept.
        byte[] longer = new byte[signed.length + 8];
        System.arraycopy(signed, 0, longer, 0, signed.length);
        Bytes.putU16(longer, signed.length, 0x8022);
        Bytes.putU16(longer, signed.length + 2, 4);
        Bytes.putU16(longer, 2, longer.length - 20);
        StunMessage m = StunMessage.parse(longer);
        assertThat(m.has(StunAttributeType.SOFTWARE)).isFalse();
        assertThat(m.verifyIntegrity(StunKey.shortTerm("pw"))).isTrue();
    }

    @Test
    void malformedInputIsAParseErrorWithAReason() {
        byte[] ok = StunMessage.request(StunMethod.BINDING).add(StunAttribute.priority(7)).build().toBytes();
        assertRejected(new byte[19], "shorter than a STUN header");
        assertRejected(with(ok, 0, 0x80), "top two bits");
        assertRejected(with(ok, 3, ok[3] + 1), "multiple of 4");
        assertRejected(with(ok, 3, ok[3] + 4), "does not match");
        assertRejected(with(ok, 4, 0), "magic cookie");
        assertRejected(with(ok, 23, 5), "runs past the end");
        assertRejected(with(ok, 23, 3), "PRIORITY has 3 bytes");
        assertRejected(attribute(0x0020, Bytes.fromHex("00030000")), "unknown address family");
        assertRejected(attribute(0x0020, Bytes.fromHex("0001000001020304ff")), "not 8");
        assertRejected(attribute(0x0009, Bytes.fromHex("00000263")), "out of range");
        assertRejected(attribute(0x0009, Bytes.fromHex("0000046e")), "out of range");
        assertRejected(attribute(0x0025, new byte[] {1}), "not 0");
        assertRejected(attribute(0x0008, new byte[19]), "outside 20..20");
        assertRejected(attribute(0x001C, new byte[12]), "outside 16..32");
        assertRejected(attribute(0x001C, new byte[17]), "not a multiple of 4");
        assertRejected(attribute(0x0006, new byte[513]), "more than 512");
        assertRejected(attribute(0x000A, new byte[3]), "bad length");
        assertRejected(attribute(0x8002, Bytes.fromHex("00010005")), "run past the end");
        assertRejected(attribute(0x8028, new byte[4]), "FINGERPRINT does not match");
        assertRejected(attribute(0x8004, new byte[4]), "not 8");
    }

    @Test
    void aMessageHoldsABoundedNumberOfAttributes() throws ParseException {
        StunMessage.Builder b = StunMessage.request(StunMethod.BINDING);
        for (int i = 0; i < StunMessage.MAX_ATTRIBUTES; i++) {
            b.add(StunAttribute.useCandidate());
        }
        StunMessage.parse(b.build().toBytes());
        assertRejected(b.add(StunAttribute.useCandidate()).build().toBytes(), "more than 128 attributes");
    }

    @Test
    void theBuilderRefusesWhatItMustCompute() {
        StunMessage.Builder b = StunMessage.request(StunMethod.BINDING);
        assertThatThrownBy(() -> b.add(new Opaque(0x0008, new byte[20]))).hasMessageContaining("integrity()");
        assertThatThrownBy(() -> b.add(new Numeric(0x8028, 0))).hasMessageContaining("fingerprint()");
        assertThatThrownBy(() -> b.add(new Text(0x0020, "x"))).hasMessageContaining("is a Address");
        assertThatThrownBy(() -> b.add(new Numeric(0x7777, 1)).build()).hasMessageContaining("Opaque");
        assertThatThrownBy(() -> StunMessage.request(1).add(new Opaque(0x13, new byte[65530])).build())
                .hasMessageContaining("too long");
    }

    @Test
    void isStunDemultiplexes() {
        byte[] m = StunMessage.request(StunMethod.BINDING).build().toBytes();
        assertThat(StunMessage.isStun(ByteBuffer.wrap(m))).isTrue();
        assertThat(StunMessage.isStun(ByteBuffer.wrap(with(m, 4, 0)))).isFalse();
        assertThat(StunMessage.isStun(ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 0}))).isFalse();
    }

    @Test
    void parsingLeavesTheBufferAlone() throws ParseException {
        byte[] m = StunMessage.request(StunMethod.BINDING).build().toBytes();
        ByteBuffer buffer = ByteBuffer.allocate(m.length + 10);
        buffer.position(5);
        buffer.put(m).flip().position(5);
        StunMessage parsed = StunMessage.parse(buffer);
        assertThat(buffer.position()).isEqualTo(5);
        java.util.Arrays.fill(buffer.array(), (byte) 0);
        assertThat(parsed.toBytes()).isEqualTo(m);
    }

    @Test
    void preparesPasswordsWithOpaqueStringAndSaslPrep() {
        // Non-ASCII spaces map to U+0020 (both profiles); NFC composes.
        assertThat(StunKey.shortTerm("a\u00A0b").bytes()).isEqualTo("a b".getBytes());
        assertThat(new String(StunKey.shortTerm("e\u0301").bytes(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("\u00E9");
        // A control character is refused by both, so the password is used as given.
        assertThat(StunKey.shortTerm("a\u0001").bytes()).isEqualTo("a\u0001".getBytes());
    }

    private static byte[] md5(String s) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(s.getBytes());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] with(byte[] message, int index, int value) {
        byte[] copy = message.clone();
        copy[index] = (byte) value;
        return copy;
    }

    /** A Binding request holding one raw attribute. */
    private static byte[] attribute(int type, byte[] value) {
        int padded = Bytes.pad4(value.length);
        byte[] m = new byte[20 + 4 + padded];
        Bytes.putU16(m, 0, 1);
        Bytes.putU16(m, 2, 4 + padded);
        Bytes.putU32(m, 4, StunMessage.MAGIC_COOKIE);
        Bytes.putU16(m, 20, type);
        Bytes.putU16(m, 22, value.length);
        System.arraycopy(value, 0, m, 24, value.length);
        return m;
    }

    private static void assertRejected(byte[] bytes, String reason) {
        assertThatThrownBy(() -> StunMessage.parse(bytes)).isInstanceOf(ParseException.class)
                .hasMessageContaining(reason);
    }
}
