package org.rtc4j.ice.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any byte sequence is either a parsed message or a {@link org.rtc4j.core.ParseException}: never another
 * exception, a hang or an unbounded allocation. In the suite Jazzer runs this over the seeds in
 * {@code src/test/resources/.../StunFuzzTestInputs/parseAnything} (the RFC 5769 vectors and earlier
 * findings); {@code JAZZER_FUZZ=1} makes it fuzz, up to ten million inputs (see the README).
 */
class StunFuzzTest {

    @FuzzTest(maxExecutions = 10_000_000L, maxDuration = "3h")
    void parseAnything(byte[] data) {
        StunProperties.check(data);
    }
}
