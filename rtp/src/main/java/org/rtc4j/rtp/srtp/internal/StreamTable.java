package org.rtc4j.rtp.srtp.internal;

/**
 * SSRC to {@link StreamState}, open addressing on int keys (no boxing on lookup), bounded to a maximum
 * number of streams so a peer cannot make us grow it without limit.
 */
public final class StreamTable {

    private final int maxStreams;
    private int[] keys = new int[16];
    private StreamState[] values = new StreamState[16];
    private int size;
    private StreamState last;

    public StreamTable(int maxStreams) {
        if (maxStreams < 1) {
            throw new IllegalArgumentException("maxStreams must be at least 1");
        }
        this.maxStreams = maxStreams;
    }

    public int size() {
        return size;
    }

    /** The state for {@code ssrc}, or {@code null}. */
    public StreamState get(int ssrc) {
        StreamState hit = last;
        if (hit != null && hit.ssrc() == ssrc) {
            return hit;
        }
        int mask = keys.length - 1;
        for (int i = mix(ssrc) & mask; ; i = (i + 1) & mask) {
            StreamState v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                last = v;
                return v;
            }
        }
    }

    /** Adds a fresh state for {@code ssrc} (not present), or returns {@code null} when the table is full. */
    public StreamState add(int ssrc) {
        if (size >= maxStreams) {
            return null;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        StreamState state = new StreamState(ssrc);
        insert(ssrc, state);
        size++;
        last = state;
        return state;
    }

    private void insert(int ssrc, StreamState state) {
        int mask = keys.length - 1;
        int i = mix(ssrc) & mask;
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = ssrc;
        values[i] = state;
    }

    private void grow() {
        int[] oldKeys = keys;
        StreamState[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new StreamState[oldValues.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int mix(int x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
