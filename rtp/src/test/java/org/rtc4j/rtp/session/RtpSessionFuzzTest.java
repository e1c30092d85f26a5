package org.rtc4j.rtp.session;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.rtp.Codec;

/**
 * A receiving session fed any sequence of datagrams (plain RTP, so the fuzzer reaches past SRTP) at any times:
 * no exception. Seeds run with the suite; a million sequences on demand with {@code JAZZER_FUZZ=1}.
 */
class RtpSessionFuzzTest {

    private static final TransportAddress A = TransportAddress.parse(Transport.UDP, "10.0.0.1:5000");
    private static final TransportAddress B = TransportAddress.parse(Transport.UDP, "10.0.0.2:5000");

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void sessionSurvivesAnything(FuzzedDataProvider in) {
        RtpSession s = new RtpSession(RtpSessionConfig.defaults(2, "f").withExtensions(new ExtensionIds(1, 2, 3, 4, 5)),
                B, A, null, null);
        s.addSendStream(SendStreamConfig.of(0x10, Codec.VP8, 96), new TestFormat(Codec.VP8));
        s.addReceiveStream(ReceiveStreamConfig.of("0", Codec.VP8, 96, 97).withDepacketizer(() -> new TestFormat(Codec.VP8)));
        s.addReceiveStream(ReceiveStreamConfig.of("1", Codec.OPUS, 111, -1)
                .withDepacketizer(() -> new TestFormat(Codec.OPUS)));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 64 && in.remainingBytes() > 0; i++) {
            now = now.plusMillis(in.consumeInt(0, 2000));
            if (in.consumeBoolean()) {
                s.handleTimeout(now);
            } else {
                s.handleInput(now, A, B, ByteBuffer.wrap(in.consumeBytes(in.consumeInt(0, 1600))));
            }
            while (s.pollTransmit() != null) {
                // drained
            }
            while (s.pollEvent() != null) {
                // drained
            }
            s.pollTimeout();
        }
        s.inboundRtpStats();
        s.remoteOutboundRtpStats();
    }
}
