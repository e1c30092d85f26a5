package org.rtc4j.sctp.datachannel;

/** RTCDataChannelState. */
public enum DataChannelState {
    CONNECTING,
    OPEN,
    CLOSING,
    CLOSED
}
