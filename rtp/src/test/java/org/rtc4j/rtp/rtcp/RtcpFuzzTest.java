package org.rtc4j.rtp.rtcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ParseException;

/**
 * Whatever the network sends, RTCP reading ends in packets or a ParseException, and what it read writes back.
 * Seeds run with the suite; 10 million inputs on demand:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl rtp -am verify -DargLine=-Xmx256m -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest='org.rtc4j.rtp.rtcp.RtcpFuzzTest'}.
 */
class RtcpFuzzTest {

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void compoundReadingNeverThrows(byte[] data) {
        List<RtcpPacket> packets;
        try {
            packets = RtcpCompound.read(ByteBuffer.wrap(data));
        } catch (ParseException e) {
            return;
        }
        int length = RtcpCompound.length(packets);
        if (length > 64 * data.length + 64) {
            throw new AssertionError("a packet of " + data.length + " bytes became " + length);
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        RtcpCompound.write(packets, out);
        if (out.hasRemaining()) {
            throw new AssertionError("length() and write() disagree");
        }
    }
}
