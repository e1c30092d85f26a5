package org.rtc4j.rtp.session.internal;

import java.nio.ByteBuffer;

/**
 * Sent RTP packets (before SRTP) kept for retransmission for a time (RFC 4588 section 3: the sender decides
 * how long). A ring indexed by sequence number that grows while its oldest packet is still younger than the
 * time kept, up to a bound; buffers are reused, so a warm history allocates nothing.
 */
public final class PacketHistory {

    private static final int MAX_CAPACITY = 1 << 14;

    private final long keepNanos;
    private final int slotSize;
    private ByteBuffer[] packets;
    private int[] lengths;
    private int[] seqs;
    private long[] sentAt;
    private int mask;

    public PacketHistory(long keepNanos, int slotSize) {
        this.keepNanos = keepNanos;
        this.slotSize = slotSize;
        allocate(256);
    }

    private void allocate(int capacity) {
        packets = new ByteBuffer[capacity];
        lengths = new int[capacity];
        seqs = new int[capacity];
        sentAt = new long[capacity];
        java.util.Arrays.fill(seqs, -1);
        mask = capacity - 1;
    }

    /** The buffer to write packet {@code seq} into (position 0, limit its capacity), then {@link #commit}. */
    public ByteBuffer slot(int seq, long nowNanos) {
        int i = seq & mask;
        if (seqs[i] >= 0 && nowNanos - sentAt[i] < keepNanos && packets.length < MAX_CAPACITY) {
            grow();
            i = seq & mask;
        }
        if (packets[i] == null) {
            packets[i] = ByteBuffer.allocate(slotSize);
        }
        seqs[i] = -1;
        sentAt[i] = nowNanos;
        return packets[i].clear();
    }

    public void commit(int seq, int length) {
        int i = seq & mask;
        seqs[i] = seq;
        lengths[i] = length;
    }

    private void grow() {
        ByteBuffer[] oldPackets = packets;
        int[] oldLengths = lengths;
        int[] oldSeqs = seqs;
        long[] oldSent = sentAt;
        allocate(packets.length * 2);
        for (int k = 0; k < oldPackets.length; k++) {
            if (oldSeqs[k] >= 0) {
                int i = oldSeqs[k] & mask;
                packets[i] = oldPackets[k];
                lengths[i] = oldLengths[k];
                seqs[i] = oldSeqs[k];
                sentAt[i] = oldSent[k];
            } else if (oldPackets[k] != null && packets[k] == null) {
                packets[k] = oldPackets[k];
            }
        }
    }

    /** The stored packet {@code seq} if it is still kept, else null; its length is {@link #length(int)}. */
    public ByteBuffer find(int seq, long nowNanos) {
        int i = seq & mask;
        if (seqs[i] != seq || nowNanos - sentAt[i] > keepNanos) {
            return null;
        }
        return packets[i];
    }

    public int length(int seq) {
        return lengths[seq & mask];
    }

    public int capacity() {
        return packets.length;
    }
}
