package org.rtc4j.sctp.internal;

import static org.rtc4j.sctp.internal.AssociationState.NEVER;

import java.util.List;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;
import org.rtc4j.sctp.SctpEvent;
import org.rtc4j.sctp.SctpState;

/**
 * The receiving side of an association: DATA and I-DATA chunks in, TSNs tracked, messages reassembled and
 * reported, and the SACKs that say what arrived, at once or after the delayed-ack timer (RFC 9260 6.2, 6.7).
 */
public final class Receiver {

    /** {@link #onData}: a SACK should go out at once. */
    public static final int IMMEDIATE = 1;
    /** {@link #onData}: the chunk was taken in (its TSN may have moved the cumulative TSN). */
    public static final int ACCEPTED = 2;

    private static final int MAX_DUPS = 16;

    private final AssociationState st;
    final TsnTracker rx;
    final Reassembler reasm;
    private final int[] gapStarts = new int[512];
    private final int[] gapEnds = new int[512];
    private final int[] dups = new int[MAX_DUPS];
    private int dupCount;
    /** A SACK goes into the next packet. */
    boolean sackNow;
    private int packetsSinceSack;
    /** The delayed-SACK timer. */
    long ackAt = NEVER;
    /** Bytes of messages reported and not yet polled by the application: they still fill the window. */
    private long eventBytes;
    private long lastAdvertisedRwnd;
    /** DATA and I-DATA chunks taken in (new TSNs in the window), for the log line. */
    private long taken;

    public Receiver(AssociationState st) {
        this.st = st;
        this.rx = new TsnTracker(st.windowTsns);
        // Our DATA chunks are never larger than the base (see Sender.writeData), so the reassembler's pooled
        // buffers are base-sized; larger fragments from a peer that fragments for a larger path get arrays of
        // their own.
        this.reasm = new Reassembler(this::deliver, st.windowTsns, st.cfg.maxMessageSize(), st.cfg.mtu());
    }

    /** A new association starts receiving at the peer's initial TSN. */
    public void reset(int peerInitialTsn) {
        rx.reset(peerInitialTsn);
        reasm.reset(st.interleaved, peerInitialTsn);
        dupCount = 0;
        sackNow = false;
        lastAdvertisedRwnd = st.cfg.receiveWindow();
        packetsSinceSack = 0;
        ackAt = NEVER;
    }

    /** The association closed: no SACK is owed any more. */
    public void stop() {
        sackNow = false;
        ackAt = NEVER;
    }

    public int cumTsn() {
        return rx.cumTsn();
    }

    public long ackAt() {
        return ackAt;
    }

    public long oversized() {
        return reasm.oversized();
    }

    /** For a log line: the cumulative and highest TSN received, and what waits in the reassembler. */
    public String describe() {
        return "DATA chunks taken " + taken + ", cumulative TSN " + Integer.toUnsignedString(rx.cumTsn())
                + ", highest " + Integer.toUnsignedString(rx.highest()) + reasm.describeWaiting();
    }

    /** Asks for a SACK in the next packet. */
    public void sackNow() {
        sackNow = true;
    }

    /** The delayed-SACK timer expired. */
    public void onAckTimer() {
        ackAt = NEVER;
        sackNow = true;
    }

    /** Returns {@link #IMMEDIATE} and {@link #ACCEPTED} bits. */
    public int onData(int type, int flags, int off, int clen) throws ParseException {
        boolean idata = type == ChunkType.I_DATA;
        int hdr = idata ? ChunkCodec.I_DATA_HEADER : ChunkCodec.DATA_HEADER;
        if (clen <= hdr) {
            throw new ParseException("DATA without user data");
        }
        if (!st.isOpen() && st.state != SctpState.COOKIE_ECHOED) {
            return 0;
        }
        if (st.state == SctpState.COOKIE_ECHOED) {
            return 0; // the peer's DATA before our COOKIE-ACK arrives: it will be retransmitted
        }
        if (idata != st.interleaved) {
            st.malformed++; // RFC 8260 2.2: the wrong kind for this association
            return 0;
        }
        byte[] b = st.rxBuf;
        int tsn = (int) Bytes.getU32(b, off + 4);
        int stream = Bytes.getU16(b, off + 8);
        int immediate = (flags & ChunkType.FLAG_IMMEDIATE) != 0 ? IMMEDIATE : 0;
        if (rx.received(tsn)) {
            st.duplicateTsns++;
            if (dupCount < MAX_DUPS) {
                dups[dupCount++] = tsn;
            }
            return IMMEDIATE;
        }
        if (!rx.inWindow(tsn)) {
            st.outOfWindow++;
            return IMMEDIATE;
        }
        int payload = clen - hdr;
        long held = reasm.buffered() + eventBytes;
        if (held + payload > st.cfg.receiveWindow() && tsn - rx.highest() > 0) {
            st.outOfWindow++; // RFC 9260 6.2: no room, drop the new data beyond the highest TSN
            return IMMEDIATE;
        }
        rx.mark(tsn);
        taken++;
        if (stream >= st.inStreams) {
            st.invalidStreams++; // RFC 9260 6.5: acknowledge, drop, and report
            byte[] info = new byte[4];
            Bytes.putU16(info, 0, stream);
            st.control.add(new Chunk.Error(List.of(new Chunk.ErrorCause(1, info))));
            return IMMEDIATE;
        }
        if (idata) {
            int mid = (int) Bytes.getU32(b, off + 12);
            int ppidOrFsn = (int) Bytes.getU32(b, off + 16);
            reasm.idata(stream, mid, ppidOrFsn, flags, b, off + hdr, payload);
        } else {
            int ssn = Bytes.getU16(b, off + 10);
            int ppid = (int) Bytes.getU32(b, off + 12);
            reasm.data(tsn, stream, ssn, ppid, flags, b, off + hdr, payload);
        }
        return immediate | ACCEPTED;
    }

    /** After the DATA chunks of one packet. */
    public void afterData(boolean immediate) {
        // RFC 9260 6.2 / 6.7: SACK at once on gaps, duplicates, or every second packet; else within the delay.
        if (immediate || rx.hasGaps() || dupCount > 0) {
            sackNow = true;
            return;
        }
        packetsSinceSack++;
        if (packetsSinceSack >= 2) {
            sackNow = true;
        } else if (ackAt == NEVER) {
            ackAt = st.now + st.cfg.delayedAckMillis() * 1_000_000L;
        }
    }

    private void deliver(int stream, int ppid, byte[] data, boolean unordered) {
        eventBytes += data.length;
        st.events.add(new SctpEvent.Message(stream, ppid, data, unordered));
    }

    /** The application took a message: the window opens by its size. */
    public void messagePolled(SctpEvent.Message m) {
        eventBytes -= m.data().length;
        // RFC 9260 6.2: tell the peer when the window opened again after it had closed.
        long rwnd = advertisedRwnd();
        long window = st.cfg.receiveWindow();
        if (lastAdvertisedRwnd < window / 2 && rwnd - lastAdvertisedRwnd >= window / 4 && st.isOpen()) {
            sackNow = true;
        }
    }

    private long advertisedRwnd() {
        return Math.max(0, st.cfg.receiveWindow() - reasm.buffered() - eventBytes);
    }

    /** Whether the next packet carries a SACK, given whether it carries data that could take one along. */
    boolean sackDue(boolean dataWaiting) {
        return sackNow || (ackAt != NEVER && dataWaiting);
    }

    /** Writes a SACK (RFC 9260 3.3.4) with as many gap blocks and duplicates as fit before {@code mtu}. */
    int writeSack(byte[] b, int p, int mtu) {
        int room = (mtu - p - 16) / 4;
        int nd = Math.min(dupCount, Math.max(0, room));
        int ng = rx.gapBlocks(gapStarts, gapEnds, Math.min(gapStarts.length, room - nd));
        long rwnd = advertisedRwnd();
        b[p] = (byte) ChunkType.SACK;
        b[p + 1] = 0;
        Bytes.putU16(b, p + 2, 16 + 4 * (ng + nd));
        Bytes.putU32(b, p + 4, rx.cumTsn());
        Bytes.putU32(b, p + 8, rwnd);
        Bytes.putU16(b, p + 12, ng);
        Bytes.putU16(b, p + 14, nd);
        int q = p + 16;
        for (int i = 0; i < ng; i++) {
            Bytes.putU16(b, q, gapStarts[i]);
            Bytes.putU16(b, q + 2, gapEnds[i]);
            q += 4;
        }
        for (int i = 0; i < nd; i++) {
            Bytes.putU32(b, q, dups[i]);
            q += 4;
        }
        lastAdvertisedRwnd = rwnd;
        dupCount = 0;
        sackNow = false;
        packetsSinceSack = 0;
        ackAt = NEVER;
        return q;
    }
}
