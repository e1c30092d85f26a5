package org.rtc4j.ice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** HMAC over a digest (RFC 2104) against the published vectors and against the JDK's {@link Mac}. */
class HmacDigestTest {

    private static final HexFormat HEX = HexFormat.of();

    private static String hmac(String algorithm, byte[] key, byte[] data) {
        HmacDigest mac = new HmacDigest(algorithm, key);
        mac.update(data);
        return HEX.formatHex(mac.doFinal());
    }

    private static byte[] repeat(int b, int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void rfc2202HmacSha1TestCases() {
        assertThat(hmac("SHA-1", repeat(0x0b, 20), ascii("Hi There")))
                .isEqualTo("b617318655057264e28bc0b6fb378c8ef146be00");
        assertThat(hmac("SHA-1", ascii("Jefe"), ascii("what do ya want for nothing?")))
                .isEqualTo("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        assertThat(hmac("SHA-1", repeat(0xaa, 20), repeat(0xdd, 50)))
                .isEqualTo("125d7342b9ac11cd91a39af48aa17b4f63f175d3");
        assertThat(hmac("SHA-1", HEX.parseHex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeat(0xcd, 50)))
                .isEqualTo("4c9007f4026250c6bc8414f9bf50c86c2d7235da");
        assertThat(hmac("SHA-1", repeat(0x0c, 20), ascii("Test With Truncation")))
                .isEqualTo("4c1a03424b55e07fe7f27be1d58bb9324a9a5a04");
        // Test cases 6 and 7: keys longer than a block are hashed first.
        assertThat(hmac("SHA-1", repeat(0xaa, 80), ascii("Test Using Larger Than Block-Size Key - Hash Key First")))
                .isEqualTo("aa4ae5e15272d00e95705637ce8a3b55ed402112");
        assertThat(hmac("SHA-1", repeat(0xaa, 80),
                ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data")))
                .isEqualTo("e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
    }

    @Test
    void rfc4231HmacSha256TestCases() {
        assertThat(hmac("SHA-256", repeat(0x0b, 20), ascii("Hi There")))
                .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assertThat(hmac("SHA-256", repeat(0xaa, 131), ascii("Test Using Larger Than Block-Size Key - Hash Key First")))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void matchesTheJdkMacForKeysAndMessagesOfEveryShapeAndStartsAnewAfterEach() throws Exception {
        Random random = new Random(23);
        for (String[] names : new String[][] {{"SHA-1", "HmacSHA1"}, {"SHA-256", "HmacSHA256"}}) {
            for (int keyLength : new int[] {1, 16, 63, 64, 65, 200}) {
                byte[] key = new byte[keyLength];
                random.nextBytes(key);
                HmacDigest mine = new HmacDigest(names[0], key);
                Mac jdk = Mac.getInstance(names[1]);
                jdk.init(new SecretKeySpec(key, names[1]));
                for (int length : new int[] {0, 1, 55, 56, 63, 64, 65, 119, 120, 1000}) {
                    byte[] data = new byte[length];
                    random.nextBytes(data);
                    // In pieces, to cover the single-byte and offset updates the STUN codec uses.
                    if (length > 2) {
                        mine.update(data[0]);
                        mine.update(data, 1, length - 2);
                        mine.update(data, length - 1, 1);
                    } else {
                        mine.update(data);
                    }
                    byte[] out = new byte[mine.length() + 3];
                    mine.doFinal(out, 3);
                    assertThat(Arrays.copyOfRange(out, 3, out.length)).as("%s key %d message %d", names[0],
                            keyLength, length).isEqualTo(jdk.doFinal(data));
                }
            }
        }
    }

    @Test
    void anEmptyKeyIsTheZeroBlock() throws Exception {
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(new byte[1], "HmacSHA1"));
        assertThat(hmac("SHA-1", new byte[0], ascii("abc"))).isEqualTo(HEX.formatHex(jdk.doFinal(ascii("abc"))));
    }

    @Test
    void refusesDigestsOfOtherBlockSizes() {
        assertThatThrownBy(() -> new HmacDigest("SHA-512", new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
