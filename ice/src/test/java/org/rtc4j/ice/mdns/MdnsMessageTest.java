package org.rtc4j.ice.mdns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;

/** The DNS wire format of RFC 1035 section 4.1 as RFC 6762 uses it, against hand-assembled bytes. */
class MdnsMessageTest {

    static final String NAME = "3a7c4f2e-6b1d-4c8e-9f0a-1b2c3d4e5f60.local";

    static ByteBuffer hex(String s) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(s.replace(" ", "")));
    }

    @Test
    void queryAsksForAAndAaaaWithTheUnicastResponseBit() {
        ByteBuffer q = MdnsMessage.query(0x1234, "ab.local");
        // id, flags 0, QDCOUNT 2; "ab" "local" root; type A class IN|QU; then type AAAA.
        assertThat(HexFormat.of().formatHex(bytes(q))).isEqualTo("1234" + "0000" + "0002" + "000000000000"
                + "026162056c6f63616c00" + "0001" + "8001"
                + "026162056c6f63616c00" + "001c" + "8001");
    }

    @Test
    void responseRoundTripsAndCarriesTheCacheFlushBit() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.7");
        InetAddress v6 = InetAddress.getByName("2001:db8::7");
        ByteBuffer r = MdnsMessage.response(0, NAME.toUpperCase(), Duration.ofSeconds(120), v4, v6);
        assertThat(r.get(12 + NAME.length() + 2 + 2) & 0x80).isEqualTo(0x80); // class high bit
        List<MdnsRecord> records = MdnsMessage.addresses(r);
        assertThat(records).containsExactly(new MdnsRecord(NAME, v4, Duration.ofSeconds(120)),
                new MdnsRecord(NAME, v6, Duration.ofSeconds(120)));
        assertThat(MdnsMessage.queryId(MdnsMessage.query(77, NAME), NAME)).isEqualTo(77);
    }

    @Test
    void compressedNamesInAnswersAndAdditionalsAreFollowed() throws Exception {
        // A response that repeats the question and points back to its name (offset 12), as responders do;
        // the second record sits in the additional section; a TXT record in between is skipped.
        String msg = "0000 8400 0001 0001 0000 0002"
                + "02616203 6c6f6300 0001 0001"                     // question: ab.loc A IN (hex "loc")
                + "c00c 0001 8001 00000078 0004 c0000207"           // answer: ptr, A, 192.0.2.7
                + "c00c 0010 0001 00000078 0003 026869"             // TXT: skipped
                + "c00c 001c 8001 80000000 0010 20010db8000000000000000000000007"; // AAAA, TTL top bit set
        List<MdnsRecord> records = MdnsMessage.addresses(hex(msg));
        assertThat(records).hasSize(2);
        assertThat(records.get(0).name()).isEqualTo("ab.loc");
        assertThat(records.get(0).address()).isEqualTo(InetAddress.getByName("192.0.2.7"));
        assertThat(records.get(1).ttl()).isEqualTo(Duration.ZERO); // RFC 2181 section 8
    }

    @Test
    void pointersThatDoNotGoBackwardsAreRejected() {
        // A name that points at itself, and one that points forwards: both could loop.
        assertThatThrownBy(() -> MdnsMessage.addresses(hex("0000 8400 0000 0001 0000 0000 c00c 0001 0001 00000001 0004 01020304")))
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> MdnsMessage.addresses(hex("0000 8400 0000 0001 0000 0000 c010 0001 0001 00000001 0004 01020304")))
                .isInstanceOf(ParseException.class);
    }

    @Test
    void boundsAndBadLengthsAreRejected() {
        // 65 records announced.
        assertThatThrownBy(() -> MdnsMessage.addresses(hex("0000 8400 0000 0041 0000 0000")))
                .isInstanceOf(ParseException.class);
        // rdata longer than the message.
        assertThatThrownBy(() -> MdnsMessage.addresses(hex("0000 8400 0000 0001 0000 0000 00 0001 0001 00000001 0008 0102")))
                .isInstanceOf(ParseException.class);
        // A name over 255 bytes (five 63-byte labels).
        StringBuilder longName = new StringBuilder("0000 8400 0000 0001 0000 0000");
        for (int i = 0; i < 5; i++) {
            longName.append("3f").append("61".repeat(63));
        }
        longName.append("00 0001 0001 00000001 0004 01020304");
        assertThatThrownBy(() -> MdnsMessage.addresses(hex(longName.toString()))).isInstanceOf(ParseException.class);
        // An A record with 5 bytes is skipped, not read as an address.
        assertThat(catching("0000 8400 0000 0001 0000 0000 00 0001 0001 00000001 0005 0102030405")).isEmpty();
    }

    @Test
    void queriesOtherOpcodesAndErrorsYieldNothing() throws Exception {
        String answer = " 00 0001 0001 00000001 0004 01020304";
        assertThat(MdnsMessage.addresses(hex("0000 0000 0000 0001 0000 0000" + answer))).isEmpty(); // QR 0
        assertThat(MdnsMessage.addresses(hex("0000 a400 0000 0001 0000 0000" + answer))).isEmpty(); // opcode 4
        assertThat(MdnsMessage.addresses(hex("0000 8403 0000 0001 0000 0000" + answer))).isEmpty(); // rcode 3
        assertThat(MdnsMessage.addresses(hex("0000 8400 0000 0001 0000 0000" + answer))).hasSize(1);
    }

    @Test
    void badNamesCannotBeQueried() {
        assertThatThrownBy(() -> MdnsMessage.query(1, "a..local")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MdnsMessage.query(1, "x".repeat(64) + ".local"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static List<MdnsRecord> catching(String h) {
        try {
            return MdnsMessage.addresses(hex(h));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
