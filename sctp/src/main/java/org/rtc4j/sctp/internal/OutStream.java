package org.rtc4j.sctp.internal;

import java.util.ArrayDeque;

/** The sending side of one stream: its queue, sequence numbers and buffered amount. */
public final class OutStream {

    public final int id;
    public final ArrayDeque<OutMessage> queue = new ArrayDeque<>();
    /** Next SSN (DATA, 16 bits) or ordered MID (I-DATA). */
    public int nextOrdered;
    /** Next unordered MID (I-DATA). */
    public int nextUnordered;
    /** Bytes handed to send() and not yet transmitted once (W3C bufferedAmount). */
    public long buffered;
    public long lowThreshold;
    /** A reset was asked for: no new messages; the request goes out once the queue is empty. */
    public boolean resetPending;
    public boolean scheduled;

    public OutStream(int id) {
        this.id = id;
    }
}
