package org.rtc4j.rtp.srtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/** Whatever the network sends, unprotect returns a length or DROPPED: no exception, no hang. */
class SrtpFuzzTest {

    private static final SrtpContext[] RECEIVERS = new SrtpContext[SrtpProfile.values().length];

    static {
        for (SrtpProfile p : SrtpProfile.values()) {
            RECEIVERS[p.ordinal()] = new SrtpContext(
                    new SrtpMasterKey(p, new byte[p.keyLength()], new byte[p.saltLength()]), 16);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void unprotectNeverThrows(byte[] data) {
        for (SrtpContext rx : RECEIVERS) {
            byte[] a = Arrays.copyOf(data, data.length);
            int n = rx.unprotectRtp(a, 0, a.length);
            if (n != SrtpContext.DROPPED && (n < 0 || n > a.length)) {
                throw new AssertionError("bad length " + n);
            }
            byte[] b = Arrays.copyOf(data, data.length);
            n = rx.unprotectRtcp(b, 0, b.length);
            if (n != SrtpContext.DROPPED && (n < 0 || n > b.length)) {
                throw new AssertionError("bad length " + n);
            }
        }
    }
}
