package org.rtc4j.sctp.internal;

/** One DATA / I-DATA chunk from its TSN's assignment until it is acknowledged or abandoned. Pooled. */
public final class OutChunk {

    public int tsn;
    public int flags;
    public int fsn;
    public OutMessage message;
    public int offset;
    public int length;
    public long sentAt;
    public int transmissions;
    public int misses;
    public boolean acked;
    public boolean inFlight;
    public boolean abandoned;
    public boolean queuedForRetransmit;
    public boolean fastRetransmitted;

    void clear() {
        message = null;
        transmissions = 0;
        misses = 0;
        acked = false;
        inFlight = false;
        abandoned = false;
        queuedForRetransmit = false;
        fastRetransmitted = false;
    }
}
