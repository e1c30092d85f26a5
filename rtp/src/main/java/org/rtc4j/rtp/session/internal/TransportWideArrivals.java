package org.rtc4j.rtp.session.internal;

import java.nio.ByteBuffer;
import org.rtc4j.rtp.rtcp.TransportWideFeedback;

/**
 * The receiving side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01):
 * the arrival time of every received packet of the transport by its transport-wide sequence number (section 2, one
 * counter over all SSRCs, RTX and padding included), reported in {@link TransportWideFeedback} packets (section 3.1)
 * every 100 ms while packets arrive, every 50 ms from 20 packets waiting (Chromium's receiver sends it every 50 to
 * 250 ms, the more often the higher the rate), so that the peer's congestion controller sees its packets' delays and
 * losses.
 *
 * <p>Each feedback reports from the first number not yet reported to the highest received; numbers missing in
 * between are reported lost. A packet that arrives after its number was reported lost (reordering) moves the next
 * feedback's base back to it (section 3.1: the base may decrease), so the peer learns it arrived. Arrival times are
 * rounded to 250 µs ticks from the session's clock; a receive delta that even two bytes cannot hold (8 s) ends the
 * feedback, and the next one starts from that packet with a reference time of its own (section 3.1.4).
 *
 * <p>Bounded: a ring of {@link #CAPACITY} arrival times, reused; a feedback packet of at most {@link #MAX_LENGTH}
 * bytes (more waiting goes in the next one). A number more than {@link #MAX_JUMP} ahead of the highest, or more than
 * {@link #MAX_LATE} behind it, is dropped and counted, unless the next packet follows it: then the peer's counter
 * restarted there (as RFC 3550 appendix A.1 treats a sequence number jump). Allocates nothing once started.
 */
public final class TransportWideArrivals {

    /** Arrival times kept, by number: the numbers from the highest received back. */
    static final int CAPACITY = 2048;
    /** Numbers further ahead of the highest received are dropped, unless the next packet confirms them. */
    static final int MAX_JUMP = 1024;
    /** Numbers further behind the highest received are dropped as too late (or a restart, as above). */
    static final int MAX_LATE = 512;
    /** Bytes of one feedback packet at most: with SRTCP and an empty RR first, it stays under a 1,200-byte MTU. */
    static final int MAX_LENGTH = 1100;
    static final long INTERVAL = 100_000_000L;
    static final long BUSY_INTERVAL = 50_000_000L;
    static final int BUSY_PACKETS = 20;
    private static final long TICK = 250_000L;
    private static final long NONE = Long.MIN_VALUE;

    private long[] arrivals;
    private int[] deltas;
    private boolean started;
    /** One past the highest number received, unwrapped (the first packet's number is its own). */
    private long end;
    /** The first number the next feedback reports. */
    private long start;
    /** The number that, arriving next, confirms a jump as the peer's restart; -1 for none. */
    private int probation = -1;
    private long lastFeedback;
    private int feedbackCount;
    private int mediaSsrc;
    private long dropped;
    private long unreported;
    private long sent;

    /** Notes the arrival at {@code now} (nanoseconds) of a packet of SSRC {@code ssrc} numbered {@code seq}. */
    public void received(long now, int seq, int ssrc) {
        mediaSsrc = ssrc;
        if (!started) {
            begin(now, seq);
            return;
        }
        int diff = (short) (seq - (int) (end - 1));
        if (diff > MAX_JUMP || diff < -MAX_LATE) {
            if (seq == probation) {
                unreported += end - start;
                begin(now, seq);
            } else {
                probation = (seq + 1) & 0xFFFF;
                dropped++;
            }
            return;
        }
        probation = -1;
        long ext = end - 1 + diff;
        if (ext >= end) {
            for (long e = end; e < ext; e++) {
                arrivals[slot(e)] = NONE;
            }
            arrivals[slot(ext)] = now;
            end = ext + 1;
            if (end - start > CAPACITY) {
                // Feedback could not leave (a full send queue): the oldest statuses go unreported.
                unreported += end - CAPACITY - start;
                start = end - CAPACITY;
            }
        } else if (arrivals[slot(ext)] == NONE) {
            arrivals[slot(ext)] = now;
            start = Math.min(start, ext);
        }
    }

    private void begin(long now, int seq) {
        if (arrivals == null) {
            arrivals = new long[CAPACITY];
            deltas = new int[CAPACITY];
        }
        java.util.Arrays.fill(arrivals, NONE);
        start = seq;
        end = seq + 1L;
        arrivals[slot(seq)] = now;
        probation = -1;
        if (!started) {
            lastFeedback = now;
            started = true;
        }
    }

    private static int slot(long ext) {
        return (int) ext & (CAPACITY - 1);
    }

    /** Forgets all arrivals (the extension is no longer negotiated); the feedback counter goes on. */
    public void reset() {
        started = false;
        probation = -1;
    }

    /** Whether some received numbers are not yet reported. */
    public boolean pending() {
        return started && start < end;
    }

    /** When the next feedback is due, in nanoseconds; {@link Long#MAX_VALUE} when nothing waits. */
    public long nextDue() {
        if (!pending()) {
            return Long.MAX_VALUE;
        }
        return lastFeedback + (end - start >= BUSY_PACKETS ? BUSY_INTERVAL : INTERVAL);
    }

    public boolean due(long now) {
        return now >= nextDue();
    }

    /** Waits another interval: the feedback due now found no room to leave. */
    public void postpone(long now) {
        lastFeedback = now;
    }

    /**
     * Writes one feedback packet of what waits, from {@code senderSsrc}, at the buffer's position (which needs
     * {@link #MAX_LENGTH} bytes), and returns its length; 0 when nothing waits.
     */
    public int write(long now, ByteBuffer dst, int senderSsrc) {
        if (!pending()) {
            return 0;
        }
        long first = start;
        while (arrivals[slot(first)] == NONE) {
            first++; // ends at the highest number, which arrived
        }
        long reference = Math.floorDiv(ticks(arrivals[slot(first)]), 256);
        long previous = reference * 256;
        int n = 0;
        for (long e = start; e < end; e++, n++) {
            long at = arrivals[slot(e)];
            if (at == NONE) {
                deltas[n] = TransportWideFeedback.NOT_RECEIVED;
                continue;
            }
            long delta = ticks(at) - previous;
            if (delta < TransportWideFeedback.MIN_DELTA || delta > TransportWideFeedback.MAX_DELTA) {
                break;
            }
            deltas[n] = (int) delta;
            previous += delta;
        }
        n = fit(deltas, n);
        // The reference time is 24 bits in 64 ms units (256 ticks), wrapping: the receiver takes differences.
        int length = TransportWideFeedback.write(dst, senderSsrc, mediaSsrc, (int) start & 0xFFFF,
                (int) reference << 8 >> 8, feedbackCount, deltas, n);
        feedbackCount = (feedbackCount + 1) & 0xFF;
        start += n;
        lastFeedback = now;
        sent++;
        return length;
    }

    /** The most statuses from the first whose packet is at most {@link #MAX_LENGTH} bytes (one always fits). */
    private static int fit(int[] deltas, int count) {
        if (TransportWideFeedback.length(deltas, count) <= MAX_LENGTH) {
            return count;
        }
        int fits = 1;
        int tooMany = count;
        while (tooMany - fits > 1) {
            int mid = (fits + tooMany) >>> 1;
            if (TransportWideFeedback.length(deltas, mid) <= MAX_LENGTH) {
                fits = mid;
            } else {
                tooMany = mid;
            }
        }
        return fits;
    }

    /** Nanoseconds to 250 µs ticks, rounded to the nearest. */
    private static long ticks(long nanos) {
        return Math.floorDiv(nanos + TICK / 2, TICK);
    }

    /** Packets whose number made no sense (a jump or a late arrival beyond the bounds), dropped. */
    public long droppedCount() {
        return dropped;
    }

    /** Numbers never reported: the ring overflowed before feedback could leave, or the peer's counter restarted. */
    public long unreportedCount() {
        return unreported;
    }

    /** Feedback packets written. */
    public long feedbackCount() {
        return sent;
    }
}
