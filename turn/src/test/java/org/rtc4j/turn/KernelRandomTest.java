package org.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The TURN server's default randomness: the kernel's, drawn across its read blocks, in range. */
class KernelRandomTest {

    @Test
    void drawsDifferAcrossManyBlocks() {
        RandomGenerator random = KernelRandom.shared();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) { // 8,000 bytes: some thirty refills of the 256-byte block
            seen.add(random.nextLong());
        }
        assertThat(seen).hasSize(1000); // a repeat among 1,000 random 64-bit numbers: about 1 in 10^13
    }

    @Test
    void fillsEveryByteOfOddLengths() {
        RandomGenerator random = KernelRandom.shared();
        for (int length : new int[] {1, 7, 9, 33}) {
            byte[] a = new byte[length];
            byte[] b = new byte[length];
            random.nextBytes(a);
            random.nextBytes(b);
            assertThat(a).isNotEqualTo(b);
        }
        // Each position takes many values over many draws: none is left as it was.
        java.util.List<Set<Integer>> values = new java.util.ArrayList<>();
        for (int i = 0; i < 13; i++) {
            values.add(new HashSet<>());
        }
        for (int n = 0; n < 200; n++) {
            byte[] bytes = new byte[13];
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length; i++) {
                values.get(i).add((int) bytes[i]);
            }
        }
        assertThat(values).allSatisfy(v -> assertThat(v.size()).isGreaterThan(100));
    }

    @Test
    void boundedDrawsStayInRange() {
        RandomGenerator random = KernelRandom.shared();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int port = random.nextInt(16384);
            assertThat(port).isBetween(0, 16383);
            seen.add(port);
        }
        assertThat(seen.size()).isGreaterThan(1500);
    }
}
