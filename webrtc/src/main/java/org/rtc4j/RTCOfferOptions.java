package org.rtc4j;

/** Options of {@link RTCPeerConnection#createOffer(RTCOfferOptions)} (W3C section 4.2.8). */
public record RTCOfferOptions(boolean iceRestart) {
}
