package org.rtc4j.rtp.payload.internal;

import java.util.Arrays;

/** NAL units as (array, offset, length) slices, reused from frame to frame. */
final class NalList {

    private byte[][] arrays = new byte[16][];
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private int size;

    void clear() {
        Arrays.fill(arrays, 0, size, null);
        size = 0;
    }

    void add(byte[] array, int offset, int length) {
        insert(size, array, offset, length);
    }

    void insert(int index, byte[] array, int offset, int length) {
        if (size == arrays.length) {
            arrays = Arrays.copyOf(arrays, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        System.arraycopy(arrays, index, arrays, index + 1, size - index);
        System.arraycopy(offsets, index, offsets, index + 1, size - index);
        System.arraycopy(lengths, index, lengths, index + 1, size - index);
        arrays[index] = array;
        offsets[index] = offset;
        lengths[index] = length;
        size++;
    }

    int size() {
        return size;
    }

    byte[] array(int i) {
        return arrays[i];
    }

    int offset(int i) {
        return offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }
}
