package org.rtc4j.sctp.datachannel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;

class DcepFuzzTest {

    /** Whatever parses re-encodes to the same bytes (minus trailing garbage) and parses the same again. */
    @FuzzTest(maxDuration = "30s")
    void parser(byte[] input) {
        DcepMessage m;
        try {
            m = DcepMessage.parse(input);
        } catch (ParseException e) {
            return;
        }
        byte[] again = switch (m) {
            case DcepMessage.Open o -> o.encode();
            case DcepMessage.Ack a -> a.encode();
        };
        try {
            assertThat(DcepMessage.parse(again)).isEqualTo(m);
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void openOnTheWire() throws ParseException {
        DcepMessage.Open open = new DcepMessage.Open(0x81, 256, 3, "chat", "p");
        // RFC 8832 5.1 layout
        assertThat(Bytes.hex(open.encode())).isEqualTo("03" + "81" + "0100" + "00000003" + "0004" + "0001"
                + "63686174" + "70");
        assertThat(DcepMessage.parse(open.encode())).isEqualTo(open);
        assertThat(DcepMessage.parse(new byte[] {2})).isInstanceOf(DcepMessage.Ack.class);
    }

    @Test
    void refusesBadMessages() {
        for (String hex : new String[] {"", "04", "03", "0305010000000000000000", "0300010000000000000a0000",
                "03000100000000000002" + "0000" + "c328"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DcepMessage.parse(Bytes.fromHex(hex)))
                    .as(hex).isInstanceOf(ParseException.class);
        }
    }
}
