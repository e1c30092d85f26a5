package org.rtc4j.ice.stun;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;

/**
 * A short, seeded, dependency-free fuzz run in every build: the RFC 5769 vectors and a message with every
 * attribute, mutated (bit flips, byte overwrites, truncation, length-field edits), through the same
 * properties as {@link StunFuzzTest}.
 */
class StunMutationTest {

    @Test
    void mutatedMessagesParseOrFailCleanly() {
        byte[][] seeds = {Rfc5769VectorsTest.REQUEST, Rfc5769VectorsTest.IPV4_RESPONSE,
            Rfc5769VectorsTest.IPV6_RESPONSE, Rfc5769VectorsTest.LONG_TERM_REQUEST};
        Random random = new Random(5769);
        for (int i = 0; i < 200_000; i++) {
            byte[] input = seeds[random.nextInt(seeds.length)].clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(input.length);
                switch (random.nextInt(5)) {
                    case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
                    case 1 -> input[at] = (byte) random.nextInt(256);
                    case 2 -> input = java.util.Arrays.copyOf(input, at);
                    case 3 -> {
                        // Point an attribute length anywhere; keep the header length consistent half the time.
                        if (input.length > 24) {
                            int attr = 20 + 4 * random.nextInt((input.length - 20) / 4);
                            Bytes.putU16(input, Math.min(attr + 2, input.length - 2), random.nextInt(0x10000));
                        }
                    }
                    default -> {
                        if (input.length >= 4) {
                            Bytes.putU16(input, 2, random.nextBoolean() ? input.length - 20 : random.nextInt(0x10000));
                        }
                    }
                }
                if (input.length == 0) {
                    break;
                }
            }
            StunProperties.check(input);
        }
    }
}
