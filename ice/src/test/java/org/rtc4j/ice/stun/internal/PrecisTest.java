package org.rtc4j.ice.stun.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

/** OpaqueString and SASLprep: printable ASCII as it is, everything else through mapping and normalization. */
class PrecisTest {

    @Test
    void printableAsciiIsUnchangedAsNormalizationWouldLeaveIt() {
        StringBuilder all = new StringBuilder();
        for (char c = 0x20; c <= 0x7E; c++) {
            all.append(c);
            String s = "a" + c;
            assertThat(Precis.opaqueString(s)).isEqualTo(Normalizer.normalize(s, Normalizer.Form.NFC)).isEqualTo(s);
            assertThat(Precis.saslPrep(s)).isEqualTo(Normalizer.normalize(s, Normalizer.Form.NFKC)).isEqualTo(s);
        }
        assertThat(Precis.opaqueString(all.toString())).isEqualTo(all.toString());
        assertThat(Precis.opaqueString("")).isNull(); // OpaqueString: empty is not allowed
        assertThat(Precis.saslPrep("")).isEmpty();
    }

    @Test
    void controlsAndOtherCharactersStillGoThroughTheFullPreparation() {
        assertThat(Precis.opaqueString("a\u0007")).isNull();        // a control: not FreeformClass
        assertThat(Precis.saslPrep("a\u007F")).isNull();            // DEL: prohibited (RFC 3454 C.2.1)
        assertThat(Precis.opaqueString("a\u00A0b")).isEqualTo("a b"); // a non-ASCII space mapped to U+0020
        assertThat(Precis.saslPrep("I\u00ADX")).isEqualTo("IX");    // soft hyphen: mapped to nothing
        assertThat(Precis.saslPrep("\u2168")).isEqualTo("IX");      // NFKC of ROMAN NUMERAL NINE
        assertThat(Precis.opaqueString("e\u0301")).isEqualTo("\u00E9"); // NFC composes
    }
}
