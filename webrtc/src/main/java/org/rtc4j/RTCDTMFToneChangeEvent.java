package org.rtc4j;

/**
 * The {@code tonechange} event of an {@link RTCDTMFSender} (W3C section 7.3): the tone that just started
 * playing, {@code ","} for a pause, or the empty string once the tone buffer is played out.
 */
public record RTCDTMFToneChangeEvent(String tone) {
}
