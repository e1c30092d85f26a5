package org.rtc4j.dtls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.rtc4j.dtls.internal.PeerSupport;
import org.rtc4j.dtls.internal.RecordFilter;

/** The record filter reads only inside the datagram and returns a prefix length, whatever the bytes. */
class RecordFilterFuzzTest {

    private static final RecordFilter HANDSHAKE = new RecordFilter(PeerSupport.MAX_HANDSHAKE_MESSAGE);
    private static final RecordFilter GCM = new RecordFilter(PeerSupport.MAX_HANDSHAKE_MESSAGE);

    static {
        GCM.setCipher(24, 0);
    }

    @FuzzTest(maxDuration = "5s")
    void validPrefixStaysInside(byte[] data) {
        for (RecordFilter f : new RecordFilter[] {HANDSHAKE, GCM}) {
            int n = f.validPrefix(data, data.length);
            if (n < 0 || n > data.length) {
                throw new AssertionError("prefix " + n + " of " + data.length);
            }
        }
    }
}
