package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The set-up timeline keeps each step's first time, in order, past its first buffer, and nothing once printed. */
class SetupTraceTest {

    private static final Instant T0 = Instant.ofEpochSecond(1_000, 500_000);

    @Test
    void eachStepOnceAtItsFirstTimeInOrder() {
        SetupTrace t = new SetupTrace();
        t.mark("a", T0);
        t.mark("b", T0.plusNanos(1_500_000));
        t.mark("a", T0.plusNanos(9_000_000));
        t.datagram("in", ByteBuffer.wrap(new byte[] {0x00, 0x01, 0, 0}), T0.plusNanos(2_250_000));
        assertThat(t.timeline()).isEqualTo(" a@0.00 b@1.50 in:stun-check@2.25");
    }

    @Test
    void manyStepsAllKeptAndNoneAfterThePrint() {
        SetupTrace t = new SetupTrace();
        for (int i = 0; i < 200; i++) {
            t.mark("s" + i, T0.plusNanos(i * 1_000_000L));
        }
        assertThat(t.timeline()).startsWith(" s0@0.00 s1@1.00").endsWith(" s199@199.00");
        t.print("test");
        t.mark("late", T0.plusNanos(300_000_000L));
        assertThat(t.timeline()).doesNotContain("late");
    }
}
