package org.rtc4j.ice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;

/** The test vectors of RFC 5769, parsed and built byte for byte. */
class Rfc5769VectorsTest {

    static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    static final TransactionId ID = TransactionId.of(Bytes.fromHex("b7e7a701bc34d686fa87dfae"));

    // RFC 5769 section 2.1.
    static final byte[] REQUEST = Bytes.fromHex("""
            00010058 2112a442 b7e7a701 bc34d686 fa87dfae
            80220010 5354554e 20746573 7420636c 69656e74
            00240004 6e0001ff
            80290008 932ff9b1 51263b36
            00060009 6576746a 3a683676 59202020
            00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
            80280004 e57a3bcf""");

    // RFC 5769 section 2.2.
    static final byte[] IPV4_RESPONSE = Bytes.fromHex("""
            0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200008 0001a147 e112a643
            00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
            80280004 c07d4c96""");

    // RFC 5769 section 2.3.
    static final byte[] IPV6_RESPONSE = Bytes.fromHex("""
            01010048 2112a442 b7e7a701 bc34d686 fa87dfae
            8022000b 74657374 20766563 746f7220
            00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
            00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
            80280004 c8fb0b4c""");

    // RFC 5769 section 2.4.
    static final byte[] LONG_TERM_REQUEST = Bytes.fromHex("""
            00010060 2112a442 78ad3433 c6ad72c0 29da412e
            00060012 e3839ee3 8388e383 aae38383 e382afe3 82b90000
            0015001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341
            0014000b 6578616d 706c652e 6f726700
            00080014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666""");

    static final String LONG_TERM_USER = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    static final String LONG_TERM_PASSWORD = "The\u00ADM\u00AAtr\u2168";

    @Test
    void parsesTheSampleRequest() throws ParseException {
        StunMessage m = StunMessage.parse(REQUEST);
        assertThat(m.method()).isEqualTo(StunMethod.BINDING);
        assertThat(m.messageClass()).isEqualTo(StunClass.REQUEST);
        assertThat(m.transactionId()).isEqualTo(ID);
        assertThat(m.get(StunAttributeType.SOFTWARE).value()).isEqualTo("STUN test client");
        assertThat(m.get(StunAttributeType.PRIORITY).value()).isEqualTo(0x6e0001ffL);
        assertThat(m.get(StunAttributeType.ICE_CONTROLLED).value()).isEqualTo(0x932ff9b151263b36L);
        assertThat(m.get(StunAttributeType.USERNAME).value()).isEqualTo("evtj:h6vY");
        assertThat(m.hasFingerprint()).isTrue();
        assertThat(m.hasIntegrity()).isTrue();
        assertThat(m.verifyIntegrity(StunKey.shortTerm(SHORT_TERM_PASSWORD))).isTrue();
        assertThat(m.verifyIntegrity(StunKey.shortTerm("VOkJxbRl1RmTxUk/WvJxBT"))).isFalse();
        assertThat(m.unknownComprehensionRequired()).isEmpty();
    }

    @Test
    void buildsTheSampleRequest() {
        StunMessage m = StunMessage.builder(StunMethod.BINDING, StunClass.REQUEST, ID)
                .add(StunAttribute.software("STUN test client"))
                .add(StunAttribute.priority(0x6e0001ffL))
                .add(StunAttribute.iceControlled(0x932ff9b151263b36L))
                .add(StunAttribute.username("evtj:h6vY"))
                .integrity(StunKey.shortTerm(SHORT_TERM_PASSWORD))
                .fingerprint()
                .padding(' ')
                .build();
        assertThat(Bytes.hex(m.toBytes())).isEqualTo(Bytes.hex(REQUEST));
    }

    @Test
    void parsesAndBuildsTheIpv4Response() throws Exception {
        StunMessage m = StunMessage.parse(IPV4_RESPONSE);
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.get(StunAttributeType.SOFTWARE).value()).isEqualTo("test vector");
        StunAttribute.Address mapped = m.get(StunAttributeType.XOR_MAPPED_ADDRESS);
        assertThat(mapped.ip()).isEqualTo(InetAddress.getByName("192.0.2.1"));
        assertThat(mapped.port()).isEqualTo(32853);
        assertThat(m.verifyIntegrity(StunKey.shortTerm(SHORT_TERM_PASSWORD))).isTrue();

        StunMessage built = StunMessage.builder(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE, ID)
                .add(StunAttribute.software("test vector"))
                .add(StunAttribute.xorMappedAddress(InetAddress.getByName("192.0.2.1"), 32853))
                .integrity(StunKey.shortTerm(SHORT_TERM_PASSWORD))
                .fingerprint()
                .padding(' ')
                .build();
        assertThat(Bytes.hex(built.toBytes())).isEqualTo(Bytes.hex(IPV4_RESPONSE));
    }

    @Test
    void parsesAndBuildsTheIpv6Response() throws Exception {
        InetAddress ip = InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677");
        StunMessage m = StunMessage.parse(IPV6_RESPONSE);
        StunAttribute.Address mapped = m.get(StunAttributeType.XOR_MAPPED_ADDRESS);
        assertThat(mapped.ip()).isEqualTo(ip);
        assertThat(mapped.isIpv6()).isTrue();
        assertThat(mapped.port()).isEqualTo(32853);
        assertThat(m.verifyIntegrity(StunKey.shortTerm(SHORT_TERM_PASSWORD))).isTrue();

        StunMessage built = StunMessage.builder(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE, ID)
                .add(StunAttribute.software("test vector"))
                .add(StunAttribute.xorMappedAddress(ip, 32853))
                .integrity(StunKey.shortTerm(SHORT_TERM_PASSWORD))
                .fingerprint()
                .padding(' ')
                .build();
        assertThat(Bytes.hex(built.toBytes())).isEqualTo(Bytes.hex(IPV6_RESPONSE));
    }

    @Test
    void parsesAndBuildsTheLongTermRequestWithTheSaslPrepPassword() throws ParseException {
        StunMessage m = StunMessage.parse(LONG_TERM_REQUEST);
        assertThat(m.get(StunAttributeType.USERNAME).value()).isEqualTo(LONG_TERM_USER);
        assertThat(m.get(StunAttributeType.NONCE).value()).isEqualTo("f//499k954d6OL34oL9FSTvy64sA");
        assertThat(m.get(StunAttributeType.REALM).value()).isEqualTo("example.org");
        assertThat(m.hasFingerprint()).isFalse();

        StunKey key = StunKey.longTerm(LONG_TERM_USER, "example.org", LONG_TERM_PASSWORD);
        assertThat(m.verifyIntegrity(key)).isTrue();
        // The password after SASLprep is the same key.
        assertThat(m.verifyIntegrity(StunKey.longTerm(LONG_TERM_USER, "example.org", "TheMatrIX"))).isTrue();
        assertThat(m.verifyIntegrity(StunKey.longTerm(LONG_TERM_USER, "example.org", "TheMatrix"))).isFalse();

        StunMessage built = StunMessage.builder(StunMethod.BINDING, StunClass.REQUEST,
                        TransactionId.of(Bytes.fromHex("78ad3433c6ad72c029da412e")))
                .add(StunAttribute.username(LONG_TERM_USER))
                .add(StunAttribute.nonce("f//499k954d6OL34oL9FSTvy64sA"))
                .add(StunAttribute.realm("example.org"))
                .integrity(key)
                .build();
        assertThat(Bytes.hex(built.toBytes())).isEqualTo(Bytes.hex(LONG_TERM_REQUEST));
    }

    @Test
    void aChangedByteFailsTheFingerprintOrTheIntegrity() throws ParseException {
        for (int i = 0; i < REQUEST.length; i++) {
            byte[] copy = REQUEST.clone();
            copy[i] ^= 0x01;
            try {
                StunMessage m = StunMessage.parse(copy);
                if (i < 100) {
                    // MESSAGE-INTEGRITY covers every byte before it, padding included.
                    assertThat(m.verifyIntegrity(StunKey.shortTerm(SHORT_TERM_PASSWORD)))
                            .as("byte %d changed", i).isFalse();
                } else {
                    // A changed FINGERPRINT type is an unknown attribute after the integrity: ignored.
                    assertThat(m.hasFingerprint()).as("byte %d changed", i).isFalse();
                }
            } catch (ParseException expected) {
                // the usual outcome: the fingerprint no longer matches, or the header is broken
            }
        }
        assertThatThrownBy(() -> {
            byte[] copy = REQUEST.clone();
            copy[REQUEST.length - 1] ^= 1;
            StunMessage.parse(copy);
        }).isInstanceOf(ParseException.class).hasMessageContaining("FINGERPRINT");
    }
}
