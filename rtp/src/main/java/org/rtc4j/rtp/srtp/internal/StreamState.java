package org.rtc4j.rtp.srtp.internal;

/**
 * What SRTP keeps per SSRC: the RTP packet index (rollover counter and highest sequence number, RFC 3711
 * section 3.3.1) with its replay window, the SRTCP replay window, and the next SRTCP index to send.
 */
public final class StreamState {

    private final int ssrc;
    private final ReplayWindow rtp = new ReplayWindow();
    private final ReplayWindow rtcp = new ReplayWindow();
    private int nextSrtcpIndex;

    public StreamState(int ssrc) {
        this.ssrc = ssrc;
    }

    public int ssrc() {
        return ssrc;
    }

    /**
     * The 48-bit packet index of a packet with sequence number {@code seq}: the rollover counter guessed as
     * in RFC 3711 appendix A from the highest sequence number seen, so reordering across a wrap works. -1
     * when the guess falls before the first packet (ROC would be negative).
     */
    public long estimateIndex(int seq) {
        long top = rtp.top();
        if (top < 0) {
            return seq;
        }
        long roc = top >>> 16;
        int highest = (int) (top & 0xFFFF);
        long v;
        if (highest < 32768) {
            v = seq - highest > 32768 ? roc - 1 : roc;
        } else {
            v = highest - 32768 > seq ? roc + 1 : roc;
        }
        if (v < 0 || v > 0xFFFF_FFFFL) {
            return -1;
        }
        return (v << 16) | seq;
    }

    public ReplayWindow rtpWindow() {
        return rtp;
    }

    public ReplayWindow rtcpWindow() {
        return rtcp;
    }

    /** The SRTCP index for the next packet sent: 0 first, then +1 modulo 2^31 (RFC 3711 section 3.4). */
    public int takeSrtcpIndex() {
        int index = nextSrtcpIndex;
        nextSrtcpIndex = (nextSrtcpIndex + 1) & 0x7FFF_FFFF;
        return index;
    }

    public void setNextSrtcpIndex(int index) {
        nextSrtcpIndex = index & 0x7FFF_FFFF;
    }
}
