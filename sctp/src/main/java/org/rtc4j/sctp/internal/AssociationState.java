package org.rtc4j.sctp.internal;

import java.util.ArrayDeque;
import java.util.random.RandomGenerator;
import org.rtc4j.sctp.SctpEvent;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SctpState;

/**
 * What every part of one association reads: the settings, the time, the state, the tags and what the
 * handshake negotiated, the queues of what goes out and what is reported, and the counters. The parts
 * (handshake, sender, receiver, partial reliability, stream reconfiguration, shutdown, packet writer) each
 * own the rest of their state.
 */
public final class AssociationState {

    /** A timer that is not running. */
    public static final long NEVER = Long.MAX_VALUE;

    public final SctpSettings cfg;
    public final RandomGenerator random;
    public final Checksum checksum = new Checksum();
    /** TSNs tracked above the cumulative ack. */
    public final int windowTsns;
    public final ArrayDeque<SctpEvent> events = new ArrayDeque<>();
    /** Control chunks for the next packets, bundled first (RFC 9260 6.10). */
    public final ArrayDeque<Chunk> control = new ArrayDeque<>();
    /** Whole packets sent as they are: INIT, stateless replies, ABORT. */
    public final ArrayDeque<byte[]> raw = new ArrayDeque<>();
    /** The packet being handled, copied out of the driver's buffer. */
    public final byte[] rxBuf = new byte[65536];

    /** Nanoseconds, from the latest call that brought the time. */
    public long now;
    public SctpState state = SctpState.CLOSED;
    public int localTag;
    public int peerTag;
    public int localInitialTsn;
    public int outStreams;
    public int inStreams;
    public boolean peerForwardTsn;
    public boolean peerReconfig;
    public boolean interleaved;
    public boolean sendZeroChecksum;
    /** The peer is known to be ESTABLISHED too (it sent something after the handshake): probes may go. */
    public boolean peerEstablished;
    /** Consecutive timeouts without an answer (RFC 9260 8.1). */
    public int errorCount;

    public long packetsReceived;
    public long packetsSent;
    public long badChecksums;
    public long badTags;
    public long malformed;
    public long duplicateTsns;
    public long outOfWindow;
    public long invalidStreams;
    public long fastRetransmits;
    public long timeouts;
    public long retransmittedChunks;
    public long abandoned;

    public AssociationState(SctpSettings cfg) {
        this.cfg = cfg;
        this.random = cfg.random();
        // One TSN per 64 bytes of window (smaller chunks are throttled).
        this.windowTsns = Integer.highestOneBit(Math.max(4096, Math.min(1 << 20, cfg.receiveWindow() / 64)) * 2 - 1);
    }

    /** Whether data may still flow (established, or shutting down with data outstanding). */
    public boolean isOpen() {
        return state == SctpState.ESTABLISHED || state == SctpState.SHUTDOWN_PENDING
                || state == SctpState.SHUTDOWN_SENT || state == SctpState.SHUTDOWN_RECEIVED;
    }

    /** A verification tag: random and never 0 (RFC 9260 5.1). */
    public int nonZeroTag() {
        int t;
        do {
            t = random.nextInt();
        } while (t == 0);
        return t;
    }
}
