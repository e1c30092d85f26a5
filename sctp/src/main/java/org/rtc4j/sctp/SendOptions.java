package org.rtc4j.sctp;

/**
 * How one message is sent: ordered or not, and its partial-reliability limit (RFC 3758): at most
 * {@code maxRetransmits} retransmissions, or no (re)transmission after {@code lifetimeMillis}; -1 means
 * no limit. Both limits set is allowed: whichever comes first abandons the message.
 */
public record SendOptions(boolean unordered, int maxRetransmits, long lifetimeMillis) {

    public static final SendOptions RELIABLE = new SendOptions(false, -1, -1);
    public static final SendOptions RELIABLE_UNORDERED = new SendOptions(true, -1, -1);

    public boolean reliable() {
        return maxRetransmits < 0 && lifetimeMillis < 0;
    }
}
