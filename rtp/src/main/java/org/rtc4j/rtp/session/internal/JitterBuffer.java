package org.rtc4j.rtp.session.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Depacketizer;

/**
 * Reorders the packets of one received stream and releases whole frames, in order, as soon as the last packet a
 * frame needs arrives. A frame whose packets the {@link NackTracker} gave up on is dropped; for video the buffer
 * then skips to the next key frame and asks for one, since the frames after a lost one may not decode.
 *
 * <p>Each packet is read by the depacketizer of its own payload type: a peer that switches codecs mid-stream
 * (RFC 3550 section 5.1) may still have packets of the old codec in flight or under repair, and a retransmission
 * of one (RFC 4588 section 4: its RTX payload type names the original's) completes its old-codec frame. A frame
 * of another codec than the last one released must be a key frame, as a new decoder starts at one.
 *
 * <p>Packets are held in their own buffers, taken from the session's pool and given back when their frame is
 * released or dropped, so a warm buffer allocates only the frames it releases.
 */
public final class JitterBuffer {

    /** Packets held at most: a window of sequence numbers. */
    public static final int SIZE = 1024;
    private static final int MASK = SIZE - 1;

    /** Where released frames go, and where key frames are asked for. */
    public interface Sink {
        void frame(EncodedFrame frame);

        void keyFrameNeeded();

        /** A packet buffer the buffer is done with. */
        void recycle(ByteBuffer packet);
    }

    /** The depacketizer of each payload type the stream may carry, null for the others. */
    private final Depacketizer[] depacketizers = new Depacketizer[128];
    /** Whether the payload type's format marks a frame's first packet (else frames split on the timestamp only). */
    private final boolean[] exactStarts = new boolean[128];
    private final boolean video;
    private final Sink sink;
    private final ByteBuffer[] packets = new ByteBuffer[SIZE];
    private final long[] seqs = new long[SIZE];
    private final int[] payloadOffsets = new int[SIZE];
    private final int[] payloadLengths = new int[SIZE];
    private final long[] timestamps = new long[SIZE];
    private final byte[] flags = new byte[SIZE];
    private final byte[] types = new byte[SIZE];
    private final List<ByteBuffer> payloads = new ArrayList<>();
    private static final byte START = 1;
    private static final byte END = 2;
    private static final byte KEY = 4;
    /** No payload: a padding-only packet (a sender's bandwidth probe, RFC 3550 section 5.1) between frames. */
    private static final byte PADDING = 8;

    /** The first packet of the next frame to release, or -1 while looking for a frame start. */
    private long next = -1;
    /** Lowest sequence number held (a lower bound), for the search of a frame start. */
    private long low = Long.MAX_VALUE;
    private long high = -1;
    private boolean needKey;
    private boolean askedForFirstKey;
    private long framesReleased;
    private long framesDropped;
    private long packetsDiscarded;
    /** The timestamp of the last packet released or dropped: a packet of that timestamp begins no frame. */
    private long goneTimestamp = -1;
    /** The payload type of the last frame released, -1 before the first. */
    private int releasedType = -1;

    public JitterBuffer(boolean video, Sink sink) {
        this.video = video;
        this.sink = sink;
        this.needKey = video;
        java.util.Arrays.fill(seqs, -1);
    }

    /** Packets of payload type {@code pt} are read by {@code depacketizer} from now on. */
    public void format(int pt, Depacketizer depacketizer) {
        depacketizers[pt] = depacketizer;
        exactStarts[pt] = depacketizer.marksFrameStart();
    }

    /**
     * Takes packet {@code ext} of payload type {@code pt} (its buffer, now owned here). Returns false when it is
     * not wanted (a duplicate, older than what was released, or of a payload type without a depacketizer): the
     * caller keeps the buffer.
     */
    public boolean insert(long ext, int pt, ByteBuffer packet, int payloadOffset, int payloadLength, long timestamp,
                          boolean marker) {
        Depacketizer depacketizer = depacketizers[pt];
        if (depacketizer == null || (next >= 0 && ext < next) || (high >= 0 && ext <= high - SIZE)) {
            packetsDiscarded++;
            return false;
        }
        int i = (int) (ext & MASK);
        if (seqs[i] == ext) {
            packetsDiscarded++;
            return false;
        }
        if (high >= 0 && ext >= high + SIZE || seqs[i] >= 0) {
            // The window would wrap onto packets still held: drop what is older than the new packet's window.
            dropBefore(ext - SIZE + 1);
            next = -1;
            lost();
        }
        ByteBuffer view = packet.limit(payloadOffset + payloadLength).position(payloadOffset);
        boolean padding = payloadLength == 0;
        byte f = padding ? PADDING : 0;
        if (!padding && depacketizer.isFrameStart(view)) {
            f |= START;
            if (depacketizer.isKeyFrame(view)) {
                f |= KEY;
            }
        }
        if (!padding && depacketizer.isFrameEnd(view, marker)) {
            f |= END;
        }
        packets[i] = packet;
        seqs[i] = ext;
        payloadOffsets[i] = payloadOffset;
        payloadLengths[i] = payloadLength;
        timestamps[i] = timestamp;
        flags[i] = f;
        types[i] = (byte) pt;
        low = Math.min(low, ext);
        high = Math.max(high, ext);
        return true;
    }

    /** Releases every frame that is complete, in order; {@code nack} says which missing packets are given up. */
    public void release(NackTracker nack) {
        while (true) {
            if (next < 0 && !findStart(nack)) {
                return;
            }
            int first = (int) (next & MASK);
            if (seqs[first] != next) {
                if (!nack.abandoned(next)) {
                    return;
                }
                skip(next + 1);
                continue;
            }
            if ((flags[first] & PADDING) != 0) {
                // Padding where the next frame would begin (probes without RTX share the media's sequence
                // numbers): passed over, no frame is lost.
                dropBefore(next + 1);
                next++;
                continue;
            }
            if ((flags[first] & START) == 0 || (video && !startsIn(first))) {
                skip(next + 1);
                continue;
            }
            long ts = timestamps[first];
            byte type = types[first];
            boolean exact = exactStarts[type];
            long start = next;
            boolean complete = false;
            // An int count, as in emit: C2's compiled `while (s <= high)` was thrown away inside a call on a loop
            // limit check at its head (-Xlog:deoptimization, loop_limit_check).
            int count = (int) Math.min(high - start + 1, SIZE);
            int k = 0;
            for (; k < count; k++) {
                long s = start + k;
                int i = (int) (s & MASK);
                if (seqs[i] != s) {
                    if (nack.abandoned(s)) {
                        skip(s + 1);
                    }
                    break;
                }
                if (timestamps[i] != ts || types[i] != type || (exact && k > 0 && (flags[i] & START) != 0)) {
                    // A new frame began before this one ended: it cannot be whole.
                    skip(s);
                    break;
                }
                if ((flags[i] & END) != 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete) {
                if (next < 0) {
                    continue;
                }
                return;
            }
            long end = start + k;
            emit(start, end, ts);
            next = end + 1;
            int n = (int) (next & MASK);
            if (seqs[n] == next && (flags[n] & START) == 0) {
                next = -1;
            }
        }
    }

    /** Whether the frame beginning at slot {@code i} can follow the last one released: same codec, or a key frame. */
    private boolean startsIn(int i) {
        return types[i] == releasedType || releasedType < 0 || (flags[i] & KEY) != 0;
    }

    private void emit(long from, long to, long ts) {
        payloads.clear();
        int first = (int) (from & MASK);
        boolean key = (flags[first] & KEY) != 0;
        byte type = types[first];
        Depacketizer depacketizer = depacketizers[type];
        // An int count, not a long index: C2's compiled long loop was thrown away on a limit check here (JFR's
        // jdk.Deoptimization, loop_limit_check) and compiled again inside calls.
        int count = (int) (to - from + 1);
        for (int k = 0; k < count; k++) {
            int i = (int) ((from + k) & MASK);
            payloads.add(packets[i].limit(payloadOffsets[i] + payloadLengths[i]).position(payloadOffsets[i]));
        }
        EncodedFrame frame = null;
        try {
            frame = depacketizer.depacketize(payloads, ts);
        } catch (ParseException | RuntimeException e) {
            frame = null;
        }
        dropBefore(to + 1);
        if (frame == null) {
            framesDropped++;
            lost();
            return;
        }
        if (video && key) {
            needKey = false;
        }
        releasedType = type;
        framesReleased++;
        sink.frame(frame);
    }

    /** Looks for the first held packet that begins a frame (a key frame while one is needed). */
    private boolean findStart(NackTracker nack) {
        if (high < 0) {
            return false;
        }
        for (long s = Math.max(low, high - MASK); s <= high; s++) {
            int i = (int) (s & MASK);
            if (seqs[i] == s && (flags[i] & START) != 0 && video && !startsIn(i)) {
                lost(); // another codec's frames begin, and not at a key frame
            }
            if (seqs[i] == s && (flags[i] & START) != 0 && (!needKey || (flags[i] & KEY) != 0)
                    && (exactStarts[types[i]] || beginsFrame(s, nack))) {
                dropBefore(s);
                next = s;
                return true;
            }
            if (seqs[i] == s && (flags[i] & START) != 0 && !askedForFirstKey) {
                // Frames come but none that decodes alone: the first key frame was missed.
                askedForFirstKey = true;
                sink.keyFrameNeeded();
            }
        }
        return false;
    }

    /**
     * For a format without a begin mark: packet {@code s}, which can begin a frame, does, when the packet before
     * it is of another timestamp or ended its frame, or will not come and was not of this frame's timestamp.
     */
    private boolean beginsFrame(long s, NackTracker nack) {
        int p = (int) ((s - 1) & MASK);
        long ts = timestamps[(int) (s & MASK)];
        if (seqs[p] == s - 1) {
            return timestamps[p] != ts || types[p] != types[(int) (s & MASK)] || (flags[p] & (END | PADDING)) != 0;
        }
        return nack.abandoned(s - 1) && ts != goneTimestamp;
    }

    /** Gives up on the frame at {@link #next}: drops the packets before {@code s} and looks for a new start. */
    private void skip(long s) {
        dropBefore(s);
        next = -1;
        framesDropped++;
        lost();
    }

    private void lost() {
        if (video && !needKey) {
            needKey = true;
            sink.keyFrameNeeded();
        }
    }

    private void dropBefore(long s) {
        for (long k = Math.max(low, s - SIZE); k < s && k <= high; k++) {
            int i = (int) (k & MASK);
            if (seqs[i] == k) {
                goneTimestamp = timestamps[i];
                seqs[i] = -1;
                sink.recycle(packets[i]);
                packets[i] = null;
            }
        }
        low = Math.max(low, s);
    }

    /** Drops everything held (the source restarted its sequence numbers). */
    public void reset() {
        dropBefore(high + 1);
        next = -1;
        high = -1;
        low = Long.MAX_VALUE;
        needKey = video;
    }

    /** Whether the buffer waits for a key frame. */
    public boolean waitingForKeyFrame() {
        return needKey;
    }

    public long framesReleased() {
        return framesReleased;
    }

    public long framesDropped() {
        return framesDropped;
    }

    public long packetsDiscarded() {
        return packetsDiscarded;
    }
}
