package org.rtc4j.rtp.session.internal;

import java.nio.ByteBuffer;
import org.rtc4j.rtp.CsrcAudioLevels;
import org.rtc4j.rtp.RtpPacket;
import org.rtc4j.rtp.session.ExtensionIds;
import org.rtc4j.rtp.session.FrameSources;

/**
 * The CSRCs and audio levels (RFC 6464, RFC 6465) of a received stream's latest packets, by RTP timestamp, until
 * the jitter buffer releases their frame: a frame's sources are those of its packets, also when packets are
 * reordered. A small ring of fixed arrays, written per packet without allocating; only packets that carry a CSRC
 * or a level take an entry.
 */
final class SourceLog {

    private static final int ENTRIES = 16;

    private final long[] timestamps = new long[ENTRIES];
    private final int[] ssrcLevels = new int[ENTRIES];
    private final int[] counts = new int[ENTRIES];
    private final int[][] csrcs = new int[ENTRIES][15];
    private final int[][] levels = new int[ENTRIES][15];
    private int next;

    SourceLog() {
        java.util.Arrays.fill(timestamps, -1);
    }

    /** Notes what {@code packet} (parsed, authentic) says of its sources, if anything. */
    void record(RtpPacket packet, ExtensionIds ids) {
        int n = packet.csrcCount();
        long level = ids.audioLevel() > 0 ? packet.findExtension(ids.audioLevel()) : -1;
        long csrcLevel = ids.csrcAudioLevel() > 0 && n > 0 ? packet.findExtension(ids.csrcAudioLevel()) : -1;
        if (n == 0 && level < 0) {
            return;
        }
        int e = find(packet.timestamp());
        if (e < 0) {
            e = next;
            next = (next + 1) % ENTRIES;
            timestamps[e] = packet.timestamp();
        }
        ByteBuffer b = packet.buffer();
        ssrcLevels[e] = level < 0 || (level & 0xFFFF) < 1 ? -1 : b.get((int) (level >>> 16)) & 0x7F;
        counts[e] = n;
        java.util.Arrays.fill(levels[e], 0, n, -1);
        for (int i = 0; i < n; i++) {
            csrcs[e][i] = packet.csrc(i);
        }
        if (csrcLevel >= 0) {
            CsrcAudioLevels.read(b, (int) (csrcLevel >>> 16), (int) (csrcLevel & 0xFFFF), n, levels[e]);
        }
    }

    /** The sources of the frame of RTP timestamp {@code timestamp}, or null when its packets named none. */
    FrameSources take(long timestamp) {
        int e = find(timestamp);
        if (e < 0) {
            return null;
        }
        timestamps[e] = -1;
        int n = counts[e];
        return new FrameSources(java.util.Arrays.copyOf(csrcs[e], n), ssrcLevels[e],
                java.util.Arrays.copyOf(levels[e], n));
    }

    private int find(long timestamp) {
        for (int i = 0; i < ENTRIES; i++) {
            if (timestamps[i] == timestamp) {
                return i;
            }
        }
        return -1;
    }
}
