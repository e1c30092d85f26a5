package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * RFC 4733 against GStreamer's rtpdtmfdepay: the events we send (updates, then the final report three times)
 * are each reported once on its bus, with their number and volume.
 */
@Timeout(60)
class TelephoneEventInteropTest {

    private static final Pattern EVENT = Pattern.compile("dtmf-event, number=\\(int\\)(\\d+), volume=\\(int\\)(\\d+)");

    @TempDir
    Path dir;

    @Test
    void gstreamerReportsEveryEventOnce() throws Exception {
        LoopbackNamespace.require();
        int[] digits = {1, 9, 10, 11, 4};
        List<EncodedFrame> frames = new ArrayList<>();
        for (int i = 0; i < digits.length; i++) {
            // 100 ms tones every 500 ms at 8 kHz, reported every 20 ms
            frames.addAll(TelephoneEvent.reports(digits[i], 7 + i, 8000 + 4000L * i, 800, 160));
        }
        String log = RtpPeer.gstreamerReceives(dir, "-m",
                "application/x-rtp,media=audio,encoding-name=TELEPHONE-EVENT,clock-rate=8000,payload=101",
                "rtpdtmfdepay ! fakesink sync=false", 101, frames, PayloadFormats.packetizer(Codec.TELEPHONE_EVENT),
                1200, text -> EVENT.matcher(text).results().count() >= digits.length);
        List<String> events = new ArrayList<>();
        Matcher m = EVENT.matcher(log);
        while (m.find()) {
            events.add(m.group(1) + "/" + m.group(2));
        }
        assertThat(events).containsExactly("1/7", "9/8", "10/9", "11/10", "4/11");
    }
}
