package org.rtc4j;

import java.time.Duration;

/**
 * Non-standard (rtc4j): a DTMF tone the peer sent as an RFC 4733 telephone event, reported by
 * {@link RTCRtpReceiver#onDtmf} when the event ends. W3C WebRTC has no way to receive DTMF; browsers drop it.
 *
 * @param tone one of {@code 0-9}, {@code *}, {@code #}, {@code A-D}
 * @param duration as the sender reported it in the event's final report
 */
public record RTCReceivedDtmfTone(String tone, Duration duration) {
}
