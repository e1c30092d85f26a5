package org.rtc4j.sctp.internal;

import java.util.random.RandomGenerator;
import org.rtc4j.core.Bytes;

/**
 * Datagram Packetization Layer Path MTU Discovery (RFC 8899) for the one path of an association: which
 * packet size (PLPMTU) the association may use, which probe to send next, and what an acknowledged or a
 * lost probe or a black hole does to it. Probes are SCTP packets of the probed size made of a HEARTBEAT
 * chunk, whose info names the probe, and a PAD chunk (RFC 4820) that fills the rest (RFC 8899 6.2);
 * the HEARTBEAT-ACK that echoes the info confirms the size. Times in nanoseconds; sans-IO.
 *
 * <p>The search (RFC 8899 5.3.2 allows any algorithm): MAX_PLPMTU first, which on loopback or a LAN with the
 * driver's exact figure succeeds in one round trip; after a failure, the midpoint between the largest
 * confirmed and the smallest failed size, 4-byte aligned, until the gap is below {@link #STOP_GAP}.
 */
public final class PathMtuSearch {

    public static final long NONE = Long.MAX_VALUE;
    /**
     * PROBE_TIMER (RFC 8899 5.1.1). Deviation: the RFC says it MUST NOT be below 1 s and SHOULD exceed 15 s.
     * We use 2 s: a WebRTC session often lasts minutes, and with 15 s each failed size (MAX_PROBES rounds)
     * would cost 45 s, so a search below a 16 KB maximum would take several minutes and bring its benefit
     * too late. The load stays small: one probe per 2 s, never counted as data, never retransmitted.
     */
    public static final long PROBE_TIMER = 2_000_000_000L;
    /** MAX_PROBES (RFC 8899 5.1.2): a size fails after this many probes without an acknowledgement. */
    public static final int MAX_PROBES = 3;
    /** PMTU_RAISE_TIMER (RFC 8899 5.1.1): in SEARCH_COMPLETE below MAX_PLPMTU, search again after 600 s. */
    public static final long RAISE_TIMER = 600_000_000_000L;
    /** The search ends when the largest confirmed and the smallest failed size are closer than this. */
    public static final int STOP_GAP = 32;
    /** Bytes of the HEARTBEAT chunk of a probe: chunk header, info parameter header, nonce and size. */
    static final int HEARTBEAT_BYTES = 4 + 4 + 12;

    /** The phases of RFC 8899 5.2 that apply here (BASE is taken as confirmed: the handshake used it). */
    public enum Phase { DISABLED, BASE, SEARCHING, SEARCH_COMPLETE }

    private final int base;
    private final RandomGenerator random;
    private int max;
    private Phase phase = Phase.DISABLED;
    private int plpmtu;
    /** Largest size confirmed in this search, and the smallest that failed (top + 4 when none did). */
    private int low;
    private int high;
    /** The size being probed (0: none), the probes of it sent, its nonce, whether one is to go out now. */
    private int probed;
    private int count;
    private long nonce;
    private boolean sendNow;
    private long timerAt = NONE;

    private long probesSent;
    private long probesConfirmed;
    private long unmatchedAcks;
    private long blackHoles;

    public PathMtuSearch(int base, int max, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.plpmtu = base;
        this.random = random;
    }

    /** The packet size in use now. */
    public int plpmtu() {
        return plpmtu;
    }

    public int max() {
        return max;
    }

    public Phase phase() {
        return phase;
    }

    /** When {@link #onTimer} should run, or {@link #NONE}. */
    public long timerAt() {
        return timerAt;
    }

    /** Whether a probe should be sent now; its size is {@link #probeSize()}. */
    public boolean probeDue() {
        return sendNow;
    }

    public int probeSize() {
        return probed;
    }

    public long probesSent() {
        return probesSent;
    }

    public long probesConfirmed() {
        return probesConfirmed;
    }

    /** HEARTBEAT-ACKs that named no probe in progress (stale, duplicate or forged). */
    public long unmatchedAcks() {
        return unmatchedAcks;
    }

    public long blackHoles() {
        return blackHoles;
    }

    /** A new association (or a restarted one): back to BASE_PLPMTU, nothing in progress. */
    public void reset() {
        plpmtu = base;
        phase = Phase.DISABLED;
        cancelProbe();
        timerAt = NONE;
    }

    /** The association is established: search if MAX_PLPMTU is above the base. */
    public void start(long now) {
        phase = Phase.BASE;
        search(now);
    }

    /** The association closed: no more probes. */
    public void stop() {
        phase = Phase.DISABLED;
        cancelProbe();
        timerAt = NONE;
    }

    /**
     * MAX_PLPMTU changed (a new path): a PLPMTU above the new maximum drops to the base at once; then the
     * search runs again in the new range.
     */
    public void setMax(int value, long now) {
        max = value;
        if (plpmtu > value) {
            plpmtu = base;
        }
        if (phase != Phase.DISABLED) {
            phase = Phase.BASE;
            search(now);
        }
    }

    /** The largest probe size the maximum allows (probes are 4-byte aligned so PAD fills them exactly). */
    private int top() {
        return max & ~3;
    }

    private void search(long now) {
        cancelProbe();
        timerAt = NONE;
        if (top() <= plpmtu) {
            phase = Phase.SEARCH_COMPLETE;
            return;
        }
        phase = Phase.SEARCHING;
        low = plpmtu;
        high = top() + 4;
        next(now);
    }

    /** Picks the next size to probe, or ends the search. */
    private void next(long now) {
        cancelProbe();
        int size = high > top() ? top() : ((low + high) >>> 1) & ~3;
        if (size <= low || high - low < STOP_GAP) {
            phase = Phase.SEARCH_COMPLETE;
            timerAt = plpmtu < top() ? now + RAISE_TIMER : NONE;
            return;
        }
        probed = size;
        count = 0;
        nonce = random.nextLong();
        sendNow = true;
        timerAt = NONE;
    }

    private void cancelProbe() {
        probed = 0;
        sendNow = false;
    }

    /**
     * Writes the probe at {@code p} (just after the common header, 12) of a packet that must end up exactly
     * {@link #probeSize()} bytes long; returns that size. Starts the PROBE_TIMER.
     */
    public int writeProbe(byte[] b, int p, long now) {
        int size = probed;
        b[p] = (byte) ChunkType.HEARTBEAT;
        b[p + 1] = 0;
        Bytes.putU16(b, p + 2, HEARTBEAT_BYTES);
        Bytes.putU16(b, p + 4, ParamType.HEARTBEAT_INFO);
        Bytes.putU16(b, p + 6, HEARTBEAT_BYTES - 4);
        Bytes.putU32(b, p + 8, nonce >>> 32);
        Bytes.putU32(b, p + 12, nonce & 0xFFFFFFFFL);
        Bytes.putU32(b, p + 16, size);
        int q = p + HEARTBEAT_BYTES;
        int padLen = size - q;
        b[q] = (byte) ChunkType.PAD;
        b[q + 1] = 0;
        Bytes.putU16(b, q + 2, padLen);
        java.util.Arrays.fill(b, q + 4, size, (byte) 0);
        sendNow = false;
        count++;
        probesSent++;
        timerAt = now + PROBE_TIMER;
        return size;
    }

    /**
     * A HEARTBEAT-ACK arrived; {@code info} is its Heartbeat Information value ({@code len} bytes at
     * {@code off}). Returns true when it confirmed a probe (the PLPMTU may have grown). Anything else is
     * counted and ignored: it never raises the PLPMTU.
     */
    public boolean onHeartbeatAck(byte[] b, int off, int len, long now) {
        if (len != HEARTBEAT_BYTES - 8 || probed == 0 || count == 0 || phase != Phase.SEARCHING
                || Bytes.getU32(b, off) != nonce >>> 32 || Bytes.getU32(b, off + 4) != (nonce & 0xFFFFFFFFL)
                || Bytes.getU32(b, off + 8) != probed) {
            unmatchedAcks++;
            return false;
        }
        probesConfirmed++;
        plpmtu = probed;
        low = probed;
        next(now);
        return true;
    }

    /** The timer ran out: a probe went unanswered, or it is time to search again. */
    public void onTimer(long now) {
        timerAt = NONE;
        if (phase == Phase.SEARCHING && probed != 0) {
            if (count < MAX_PROBES) {
                sendNow = true; // RFC 8899 5.3.1: probe the same size again
                return;
            }
            high = probed; // MAX_PROBES lost: this size does not pass
            next(now);
        } else if (phase == Phase.SEARCH_COMPLETE || phase == Phase.BASE) {
            search(now); // RAISE_TIMER, or the pause after a black hole
        }
    }

    /**
     * Data stopped getting through at a PLPMTU above the base (RFC 8899 4.3, 5.2): back to BASE_PLPMTU at
     * once. The search starts again once data gets through at the base ({@link #dataAcknowledged}): during
     * an outage every probe would fail and the search would settle too low for a RAISE_TIMER.
     * Returns false when already at the base.
     */
    public boolean blackHole(long now) {
        if (plpmtu <= base) {
            return false;
        }
        blackHoles++;
        plpmtu = base;
        cancelProbe();
        phase = Phase.BASE;
        timerAt = NONE;
        return true;
    }

    /** The peer acknowledged new data: after a black hole, search again a PROBE_TIMER later. */
    public void dataAcknowledged(long now) {
        if (phase == Phase.BASE && timerAt == NONE) {
            timerAt = now + PROBE_TIMER;
        }
    }
}
