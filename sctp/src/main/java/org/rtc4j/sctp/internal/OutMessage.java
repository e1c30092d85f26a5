package org.rtc4j.sctp.internal;

/** A message the user handed over, while it is queued or has unacknowledged fragments. */
public final class OutMessage {

    public final int stream;
    public final int ppid;
    public final byte[] data;
    public final int offset;
    public final int length;
    public final boolean unordered;
    /** RFC 3758: -1 for no limit. */
    public final int maxRetransmits;
    /** Lifetime in nanoseconds (RFC 3758), -1 for none. */
    public final long lifetime;
    /** Nanosecond time after which it is abandoned, or Long.MAX_VALUE. */
    public long expiresAt = Long.MAX_VALUE;

    /** Bytes already cut into chunks. */
    public int sent;
    /** SSN (DATA) or MID (I-DATA), assigned with the first fragment. */
    public int sequence = -1;
    /** Next fragment sequence number (I-DATA). */
    public int nextFsn;
    /** Chunks with TSNs not yet acknowledged or abandoned. */
    public int chunksOutstanding;
    public boolean abandoned;
    /** TSNs of the first and the latest fragment sent. */
    public int firstTsn;
    public int lastTsn;

    public OutMessage(int stream, int ppid, byte[] data, int offset, int length, boolean unordered,
                      int maxRetransmits, long lifetime) {
        this.stream = stream;
        this.ppid = ppid;
        this.data = data;
        this.offset = offset;
        this.length = length;
        this.unordered = unordered;
        this.maxRetransmits = maxRetransmits;
        this.lifetime = lifetime;
    }

    public boolean fullyChunked() {
        return sent >= length;
    }

    public boolean started() {
        return sequence != -1;
    }
}
