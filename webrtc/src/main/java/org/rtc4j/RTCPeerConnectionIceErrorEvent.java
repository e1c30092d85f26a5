package org.rtc4j;

/**
 * A STUN or TURN server could not be used (W3C section 4.8.3, {@code icecandidateerror}): {@code errorCode} is
 * the STUN error code, or 701 when the server did not answer.
 */
public record RTCPeerConnectionIceErrorEvent(String address, int port, String url, int errorCode, String errorText) {
}
