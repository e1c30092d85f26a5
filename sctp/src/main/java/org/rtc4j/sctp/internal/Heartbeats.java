package org.rtc4j.sctp.internal;

import static org.rtc4j.sctp.internal.AssociationState.NEVER;

import org.rtc4j.core.Bytes;
import org.rtc4j.sctp.SctpState;

/**
 * Path heartbeats (RFC 9260 8.3) on the association's one path: while nothing is in flight, a HEARTBEAT goes
 * every RTO plus HB.interval, jittered by half an RTO, once no DATA went out for an HB.interval; one unanswered within an RTO counts toward
 * Association.Max.Retrans and doubles the RTO, so a peer that went away silently is detected even when the
 * application sends nothing. While data is in flight the T3-rtx timer counts the same errors (8.1), so no
 * heartbeat is needed then. The Heartbeat Information is ours only: a nonce and the time it left (the
 * round trip updates the RTO). Times in nanoseconds; sans-IO.
 */
public final class Heartbeats {

    /** Bytes of our Heartbeat Information: nonce and send time (a path MTU probe's info is 12). */
    public static final int INFO_BYTES = 16;

    private final AssociationState st;
    private final Sender sender;
    private final PathMtuSearch pmtu;
    private final long interval;
    private long nextAt = NEVER;
    private long timeoutAt = NEVER;
    /** The nonce of the heartbeat awaiting its ACK (valid while {@link #timeoutAt} runs). */
    private long nonce;

    private long sent;
    private long acknowledged;
    private long unanswered;

    public Heartbeats(AssociationState st, Sender sender, PathMtuSearch pmtu) {
        this.st = st;
        this.sender = sender;
        this.pmtu = pmtu;
        this.interval = st.cfg.heartbeatIntervalMillis() * 1_000_000L;
    }

    /** The association is established (or restarted): the first heartbeat after one idle period. */
    public void start() {
        timeoutAt = NEVER;
        schedule();
    }

    public void stop() {
        nextAt = NEVER;
        timeoutAt = NEVER;
    }

    public long timerAt() {
        return Math.min(nextAt, timeoutAt);
    }

    public long sent() {
        return sent;
    }

    public long acknowledged() {
        return acknowledged;
    }

    public long unanswered() {
        return unanswered;
    }

    private void schedule() {
        if (interval == 0) {
            nextAt = NEVER;
            return;
        }
        long rto = sender.cc.rto();
        long jitter = rto <= 1 ? 0 : st.random.nextLong(rto) - rto / 2; // +/- 50 % of the RTO (8.3)
        nextAt = Math.max(st.now + rto + interval + jitter, timeoutAt == NEVER ? 0 : timeoutAt);
    }

    /**
     * Serves the timers: an unanswered heartbeat is an error (8.3), a due one goes out when the path is idle.
     *
     * @return false when the error count passed Association.Max.Retrans: the peer is unreachable
     */
    public boolean onTimer() {
        long now = st.now;
        if (timeoutAt <= now) {
            timeoutAt = NEVER;
            unanswered++;
            sender.cc.backoff();
            if (++st.errorCount > st.cfg.maxRetransmits()) {
                return false;
            }
        }
        if (nextAt <= now) {
            if (st.state != SctpState.ESTABLISHED) {
                nextAt = NEVER;
                return true;
            }
            boolean idle = sender.t3At() == NEVER && now - sender.lastDataAt >= interval;
            if (idle && timeoutAt == NEVER) {
                send(now);
            }
            schedule();
        }
        return true;
    }

    private void send(long now) {
        nonce = st.random.nextLong();
        byte[] info = new byte[INFO_BYTES];
        Bytes.putU32(info, 0, nonce >>> 32);
        Bytes.putU32(info, 4, nonce & 0xFFFFFFFFL);
        Bytes.putU32(info, 8, now >>> 32);
        Bytes.putU32(info, 12, now & 0xFFFFFFFFL);
        st.control.add(new Chunk.Heartbeat(false, info));
        timeoutAt = now + sender.cc.rto();
        sent++;
    }

    /**
     * A HEARTBEAT-ACK, its chunk at {@code off} in the packet being handled: the info says whether it answers
     * a path MTU probe or one of our heartbeats.
     */
    public void onAck(int off, int clen) {
        byte[] b = st.rxBuf;
        int plen = clen >= 8 ? Bytes.getU16(b, off + 6) : 0;
        if (clen < 8 || Bytes.getU16(b, off + 4) != ParamType.HEARTBEAT_INFO || plen < 4 || plen > clen - 4) {
            st.malformed++;
            return;
        }
        if (plen - 4 == INFO_BYTES) {
            onOwnAck(b, off + 8);
        } else if (pmtu.onHeartbeatAck(b, off + 8, plen - 4, st.now)) {
            sender.cc.mtu(pmtu.plpmtu());
        }
    }

    /** The one we wait for clears the error count and gives a round-trip sample (8.3); others are counted. */
    private void onOwnAck(byte[] b, int off) {
        long n = (Bytes.getU32(b, off) << 32) | Bytes.getU32(b, off + 4);
        if (timeoutAt == NEVER || n != nonce) {
            st.malformed++;
            return;
        }
        long sentAt = (Bytes.getU32(b, off + 8) << 32) | Bytes.getU32(b, off + 12);
        timeoutAt = NEVER;
        acknowledged++;
        st.errorCount = 0;
        if (sentAt <= st.now) {
            sender.cc.rttSample(st.now - sentAt);
        }
    }
}
