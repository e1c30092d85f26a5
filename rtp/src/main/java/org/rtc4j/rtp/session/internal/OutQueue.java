package org.rtc4j.rtp.session.internal;

/**
 * The datagrams waiting to leave, in order: a ring of reusable arrays, so a warm session allocates nothing to
 * queue a packet. Bounded: when full, new datagrams are dropped and counted.
 */
public final class OutQueue {

    private final int slotSize;
    private final int maxSlots;
    private byte[][] slots = new byte[64][];
    private int[] lengths = new int[64];
    private boolean[] media = new boolean[64];
    private int head;
    private int size;
    private long dropped;

    public OutQueue(int slotSize, int maxSlots) {
        this.slotSize = slotSize;
        this.maxSlots = maxSlots;
    }

    /** The array to write the next datagram into, or null when the queue is full. */
    public byte[] claim() {
        if (size == slots.length) {
            if (slots.length >= maxSlots) {
                dropped++;
                return null;
            }
            grow();
        }
        int i = (head + size) & (slots.length - 1);
        if (slots[i] == null) {
            slots[i] = new byte[slotSize];
        }
        return slots[i];
    }

    /** Queues the datagram written into the array {@link #claim()} returned. */
    public void commit(int length, boolean isMedia) {
        int i = (head + size) & (slots.length - 1);
        lengths[i] = length;
        media[i] = isMedia;
        size++;
    }

    private void grow() {
        int n = slots.length;
        byte[][] s = new byte[n * 2][];
        int[] l = new int[n * 2];
        boolean[] m = new boolean[n * 2];
        for (int k = 0; k < n; k++) {
            int from = (head + k) & (n - 1);
            s[k] = slots[from];
            l[k] = lengths[from];
            m[k] = media[from];
        }
        slots = s;
        lengths = l;
        media = m;
        head = 0;
    }

    public int size() {
        return size;
    }

    public byte[] peek() {
        return slots[head];
    }

    public int peekLength() {
        return lengths[head];
    }

    public boolean peekIsMedia() {
        return media[head];
    }

    public void pop() {
        head = (head + 1) & (slots.length - 1);
        size--;
        if (size == 0) {
            head = 0;          // drained: the next datagrams reuse the first slots, still in cache
        }
    }

    public long dropped() {
        return dropped;
    }

    public int slotSize() {
        return slotSize;
    }
}
