package org.rtc4j.dtls.internal.loop;

import java.util.BitSet;

/**
 * Handshake messages from their fragments (RFC 6347 section 4.2.2), delivered in message_seq order:
 *
 * <pre>
 *   msg_type[1] length[3] message_seq[2] fragment_offset[3] fragment_length[3] fragment[fragment_length]
 * </pre>
 *
 * Only messages in a small window from the next expected one are buffered, each at most {@code maxMessage}
 * bytes, so a hostile peer can hold at most {@code WINDOW * maxMessage} bytes here. A fragment that
 * contradicts an earlier one of the same message (type or length) is dropped.
 */
final class Reassembler {

    static final int HEADER = 12;
    private static final int WINDOW = 8;

    /** A complete message: its type, sequence number and body. */
    record Message(int type, int seq, byte[] body) {
    }

    private final int maxMessage;
    private final int[] types = new int[WINDOW];
    private final byte[][] bodies = new byte[WINDOW][];
    private final BitSet[] have = new BitSet[WINDOW];
    private int next;

    Reassembler(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    int next() {
        return next;
    }

    /** What {@link #add} found. */
    enum Result { ADDED, OLD, DROPPED }

    /**
     * Takes the fragments in {@code d[from, to)} (a record's payload); returns OLD if any belonged to an
     * already delivered message (the peer retransmits), DROPPED if malformed (the rest of the record is
     * skipped), else ADDED.
     */
    Result add(byte[] d, int from, int to) {
        Result result = Result.ADDED;
        int pos = from;
        while (pos < to) {
            if (to - pos < HEADER) {
                return Result.DROPPED;
            }
            int type = d[pos] & 0xFF;
            int length = Wire.u24(d, pos + 1);
            int seq = Wire.u16(d, pos + 4);
            int offset = Wire.u24(d, pos + 6);
            int fragment = Wire.u24(d, pos + 9);
            int start = pos + HEADER;
            if (length > maxMessage || offset + fragment > length || fragment > to - start) {
                return Result.DROPPED;
            }
            pos = start + fragment;
            if (seq < next) {
                result = Result.OLD;
                continue;
            }
            if (seq >= next + WINDOW) {
                continue;               // too far ahead: the peer sends it again
            }
            int slot = seq % WINDOW;
            if (bodies[slot] == null) {
                types[slot] = type;
                bodies[slot] = new byte[length];
                have[slot] = new BitSet(length);
            } else if (types[slot] != type || bodies[slot].length != length) {
                return Result.DROPPED;
            }
            System.arraycopy(d, start, bodies[slot], offset, fragment);
            have[slot].set(offset, offset + fragment);
        }
        return result;
    }

    /** The next message in order if all of it is here, else null. */
    Message poll() {
        int slot = next % WINDOW;
        byte[] body = bodies[slot];
        if (body == null || have[slot].nextClearBit(0) < body.length) {
            return null;
        }
        Message m = new Message(types[slot], next, body);
        bodies[slot] = null;
        have[slot] = null;
        next++;
        return m;
    }

    /** Forgets buffered messages and expects {@code seq} next (after a HelloVerifyRequest, RFC 6347 4.2.2). */
    void restartAt(int seq) {
        java.util.Arrays.fill(bodies, null);
        java.util.Arrays.fill(have, null);
        next = seq;
    }
}
