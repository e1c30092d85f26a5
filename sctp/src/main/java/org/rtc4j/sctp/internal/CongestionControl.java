package org.rtc4j.sctp.internal;

/**
 * The sender's congestion control and retransmission timeout for the one path of a WebRTC association:
 * RTO estimation (RFC 9260 6.3.1), slow start and congestion avoidance (7.2.1, 7.2.2), fast recovery
 * (7.2.4), the reaction to a timeout (7.2.3), and HyStart++ (RFC 9406) to leave the first slow start when
 * the round trip grows, before the bottleneck queue overflows. Times in nanoseconds.
 */
public final class CongestionControl {

    private static final long NONE = Long.MAX_VALUE;

    /** The path MTU now (RFC 8899 PLPMTU): the unit of the window's MTU-based terms. */
    private long mtu;
    private final long rtoInitial;
    private final long rtoMin;
    private final long rtoMax;

    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private boolean fastRecovery;
    private int fastRecoveryExit;

    private long srtt = -1;
    private long rttvar;
    private long rto;
    /** The RTO from the round trips measured (or the initial one): {@link #rto} without the backoff. */
    private long measuredRto;

    private boolean hsInitial;
    private int hsRoundEnd;
    private long hsLastMin = NONE;
    private long hsCurMin = NONE;
    private int hsSamples;
    private boolean hsCss;
    private int hsCssRounds;
    private long hsCssBaseline;

    public CongestionControl(int mtu, long rtoInitialMillis, long rtoMinMillis, long rtoMaxMillis) {
        this.mtu = mtu;
        this.rtoInitial = rtoInitialMillis * 1_000_000L;
        this.rtoMin = rtoMinMillis * 1_000_000L;
        this.rtoMax = rtoMaxMillis * 1_000_000L;
        this.rto = rtoInitial;
        this.measuredRto = rtoInitial;
    }

    /**
     * The path MTU changed (RFC 8899): later increments, the floor after a timeout and the fast recovery
     * floor use it (RFC 9260 7.2); the window itself stays, as the bytes in flight did not change.
     */
    public void mtu(int value) {
        mtu = value;
    }

    /** A new association: RFC 9260 7.2.1 initial window, ssthresh from the peer's window. */
    public void reset(long peerRwnd, int firstTsn) {
        cwnd = Math.min(4 * mtu, Math.max(2 * mtu, 4380));
        ssthresh = peerRwnd;
        partialBytesAcked = 0;
        fastRecovery = false;
        hsInitial = true;
        hsCss = false;
        hsRoundEnd = firstTsn - 1;
        hsLastMin = NONE;
        hsCurMin = NONE;
        hsSamples = 0;
    }

    /** Forgets the round trip (a restarted peer). */
    public void resetRtt() {
        srtt = -1;
        rto = rtoInitial;
        measuredRto = rtoInitial;
    }

    public long cwnd() {
        return cwnd;
    }

    public long rto() {
        return rto;
    }

    /** Smoothed round trip, -1 before the first sample. */
    public long srtt() {
        return srtt;
    }

    public boolean inFastRecovery() {
        return fastRecovery;
    }

    /** RFC 9260 6.3.1: a round-trip measurement from a chunk sent once (Karn). */
    public void rttSample(long r) {
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        long v = srtt + Math.max(4 * rttvar, 1_000_000L);
        rto = Math.min(Math.max(v, rtoMin), rtoMax);
        measuredRto = rto;
    }

    /** RFC 9260 6.3.3 E2 / 6.3.2: doubles the RTO, up to RTO.Max. */
    public void backoff() {
        rto = Math.min(rto * 2, rtoMax);
    }

    /**
     * The cumulative ack moved to {@code cum}: fast recovery ends once it passes the exit point (7.2.4), and the
     * RTO drops its backoff. Deviation from RFC 9260 6.3.3 E2 and 6.3.1 C5, where a backed-off RTO stays until a
     * chunk sent only once is acknowledged: the path delivers again, and with the small window that heavy loss
     * leaves, nearly every later loss needs the T3-rtx timer, so a kept backoff compounded (up to RTO.Max, 60 s)
     * and halted the transfer for minutes (10 MB at 20 % loss: 1.8 MB in 10 minutes). The round trip itself is
     * still measured by Karn's rule only; during an outage the cumulative ack stands still, so the backoff and
     * the dead-peer detection run as before.
     */
    public void cumulativeAck(int cum) {
        if (fastRecovery && cum - fastRecoveryExit >= 0) {
            fastRecovery = false;
        }
        rto = measuredRto;
    }

    /** Chunks were marked for fast retransmit (RFC 9260 7.2.4 step 4, 7.2.3). */
    public void lossDetected(int highestSent) {
        if (fastRecovery) {
            return;
        }
        fastRecovery = true;
        fastRecoveryExit = highestSent;
        ssthresh = Math.max(cwnd / 2, 4 * mtu);
        cwnd = ssthresh;
        partialBytesAcked = 0;
        hsInitial = false;
        hsCss = false;
    }

    /** The T3-rtx timer expired (RFC 9260 7.2.3, 6.3.3). */
    public void timeout() {
        ssthresh = Math.max(cwnd / 2, 4 * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
        hsInitial = false;
        hsCss = false;
        backoff();
    }

    /** Nothing is in flight any more (7.2.2: partial_bytes_acked goes back to 0). */
    public void idle() {
        partialBytesAcked = 0;
    }

    /**
     * A SACK moved the cumulative ack: grow the window (RFC 9260 7.2.1, 7.2.2).
     *
     * @param acked        bytes newly acknowledged (cumulatively or by gap blocks)
     * @param flightBefore bytes in flight before the SACK
     * @param nextTsn      the TSN the next new chunk gets (ends a HyStart++ round)
     * @param rttSample    the smallest round trip of chunks sent once that this SACK acknowledged, or
     *                     Long.MAX_VALUE
     */
    public void acknowledged(long acked, long flightBefore, int cum, int nextTsn, long rttSample) {
        if (fastRecovery || acked <= 0) {
            return;
        }
        if (cwnd <= ssthresh && hsInitial) {
            hyStart(cum, nextTsn, rttSample);
        }
        if (cwnd <= ssthresh) {
            // only when the window was used (7.2.1)
            if (flightBefore + mtu >= cwnd) {
                long increase = Math.min(acked, mtu);
                cwnd += hsCss ? Math.max(1, increase / 4) : increase;
            }
        } else {
            partialBytesAcked += acked;
            if (partialBytesAcked >= cwnd && flightBefore + mtu >= cwnd) {
                partialBytesAcked -= cwnd;
                cwnd += mtu;
            }
        }
    }

    /**
     * HyStart++ (RFC 9406 4.2), per round of one window: when the smallest round trip of this round exceeds
     * the last round's by a threshold, the queue is filling: grow by a quarter (conservative slow start) for
     * a few rounds, then move to congestion avoidance, instead of doubling into a burst of queue drops.
     */
    private void hyStart(int cum, int nextTsn, long sample) {
        if (sample != NONE) {
            hsCurMin = Math.min(hsCurMin, sample);
            hsSamples++;
        }
        if (!hsCss && hsSamples >= 8 && hsLastMin != NONE && hsCurMin != NONE) {
            long thresh = Math.max(4_000_000L, Math.min(hsLastMin / 8, 16_000_000L));
            if (hsCurMin >= hsLastMin + thresh) {
                hsCss = true;
                hsCssRounds = 0;
                hsCssBaseline = hsCurMin;
            }
        }
        if (hsCss && hsSamples >= 8 && hsCurMin < hsCssBaseline) {
            hsCss = false; // the round trip fell again: the exit was spurious
        }
        if (cum - hsRoundEnd >= 0) {
            hsRoundEnd = nextTsn - 1;
            hsLastMin = hsCurMin;
            hsCurMin = NONE;
            hsSamples = 0;
            if (hsCss && ++hsCssRounds >= 5) {
                hsCss = false;
                ssthresh = cwnd;
            }
        }
    }
}
