package org.rtc4j.rtp.payload.internal;

/**
 * Byte-stream NAL units of H.264/H.265 Annex B: each begins after a start code {@code 00 00 01} (often
 * {@code 00 00 00 01}); trailing zero bytes before the next start code belong to it, not to the unit.
 */
final class AnnexB {

    static final byte[] START_CODE = {0, 0, 0, 1};

    private AnnexB() {
    }

    /**
     * The units of {@code data} into {@code units} as (offset, length) pairs; returns how many.
     *
     * @throws IllegalArgumentException if the data does not begin with a start code
     */
    static int split(byte[] data, NalList units) {
        int start = next(data, 0);
        if (start < 0 || !onlyZeros(data, 0, start - 3)) {
            throw new IllegalArgumentException("not an Annex B access unit: no start code at the beginning");
        }
        int count = 0;
        while (start >= 0) {
            int following = next(data, start);
            int end = following < 0 ? data.length : following - 3;
            while (end > start && data[end - 1] == 0) {
                end--;
            }
            if (end > start) {
                units.add(data, start, end - start);
                count++;
            }
            start = following;
        }
        return count;
    }

    /** The offset just past the next start code at or after {@code from}, or -1. */
    private static int next(byte[] d, int from) {
        for (int i = from; i + 2 < d.length; i++) {
            if ((d[i + 2] & 0xFF) > 1) {
                i += 2;                                        // no start code can end before i + 3
            } else if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
                return i + 3;
            }
        }
        return -1;
    }

    private static boolean onlyZeros(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            if (d[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
