package org.rtc4j.sctp.internal;

/** A growable FIFO of ints (TSNs waiting for retransmission), allocation-free once grown. */
public final class IntQueue {

    private int[] items = new int[64];
    private int head;
    private int size;

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public void add(int v) {
        if (size == items.length) {
            int[] bigger = new int[items.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = items[(head + i) & (items.length - 1)];
            }
            items = bigger;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = v;
        size++;
    }

    public int peek() {
        return items[head];
    }

    public int poll() {
        int v = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    public void clear() {
        head = 0;
        size = 0;
    }
}
