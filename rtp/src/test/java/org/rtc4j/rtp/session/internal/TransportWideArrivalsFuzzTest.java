package org.rtc4j.rtp.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.rtcp.RtcpCompound;
import org.rtc4j.rtp.rtcp.TransportWideFeedback;

/**
 * Any transport-wide numbers at any times (an authenticated peer may send nonsense): the feedback written always
 * parses, fits its bound and describes at least one packet. Seeds run with the suite; a million sequences on demand
 * with {@code JAZZER_FUZZ=1}.
 */
class TransportWideArrivalsFuzzTest {

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void feedbackAlwaysParsesWithinItsBound(FuzzedDataProvider in) throws ParseException {
        TransportWideArrivals a = new TransportWideArrivals();
        ByteBuffer b = ByteBuffer.allocate(TransportWideArrivals.MAX_LENGTH);
        long now = 1_767_225_600_000_000_000L;
        int seq = in.consumeInt(0, 0xFFFF);
        for (int i = 0; i < 4096 && in.remainingBytes() > 0; i++) {
            now += in.consumeLong(0, 20_000_000_000L);
            switch (in.consumeInt(0, 3)) {
                case 0 -> seq = in.consumeInt(0, 0xFFFF);
                case 1 -> seq = (seq + in.consumeInt(-600, 1100)) & 0xFFFF;
                default -> seq = (seq + 1) & 0xFFFF;
            }
            a.received(now, seq, 7);
            if (in.consumeBoolean() && a.due(now)) {
                b.clear();
                int n = a.write(now, b, 1);
                assertThat(n).isBetween(24, TransportWideArrivals.MAX_LENGTH);
                TransportWideFeedback f = (TransportWideFeedback) RtcpCompound.read(b.flip()).get(0);
                assertThat(f.deltas()).isNotEmpty().hasSizeLessThanOrEqualTo(TransportWideArrivals.CAPACITY);
            }
        }
    }
}
