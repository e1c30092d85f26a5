package org.rtc4j.rtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/**
 * Whatever the network sends, reading an RTP packet and its extensions ends in a value or a ParseException.
 * Seeds run with the suite; 10 million inputs on demand:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl rtp -am verify -DargLine=-Xmx256m -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest='org.rtc4j.rtp.RtpFuzzTest'}.
 */
class RtpFuzzTest {

    private final RtpPacket packet = new RtpPacket();
    private final HeaderExtensions.Cursor cursor = new HeaderExtensions.Cursor();
    private DependencyStructure structure;

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    void packetReadingNeverThrows(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        try {
            packet.parse(b);
        } catch (ParseException e) {
            return;
        }
        if (packet.payloadOffset() + packet.payloadLength() > data.length || packet.payloadLength() < 0) {
            throw new AssertionError("payload outside the packet");
        }
        packet.extensions(cursor);
        int elements = 0;
        while (cursor.next()) {
            if (++elements > data.length) {
                throw new AssertionError("no progress");
            }
            int at = cursor.offset();
            int len = cursor.length();
            if (at + len > packet.payloadOffset()) {
                throw new AssertionError("element past the header");
            }
            try {
                SdesExtension.read(b, at, len);
            } catch (ParseException ignored) {
                // rejected
            }
            AbsSendTime.read(b, at, len);
            TransportSequenceNumber.read(b, at, len);
            try {
                AudioLevel.read(b, at, len);
                VideoOrientation.read(b, at, len);
            } catch (ParseException ignored) {
                // rejected
            }
            try {
                PlayoutDelay.read(b, at, len);
            } catch (ParseException ignored) {
                // rejected
            }
            try {
                AbsCaptureTime.read(b, at, len);
            } catch (ParseException ignored) {
                // rejected
            }
            try {
                DependencyDescriptor d = DependencyDescriptor.read(b, at, len, structure);
                structure = d.structure();
            } catch (ParseException ignored) {
                // rejected
            }
        }
    }
}
