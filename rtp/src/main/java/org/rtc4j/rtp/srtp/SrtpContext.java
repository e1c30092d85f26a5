package org.rtc4j.rtp.srtp;

import java.util.Objects;
import org.rtc4j.rtp.srtp.internal.AesCmHmacTransform;
import org.rtc4j.rtp.srtp.internal.AesGcmTransform;
import org.rtc4j.rtp.srtp.internal.KeyDerivation;
import org.rtc4j.rtp.srtp.internal.ReplayWindow;
import org.rtc4j.rtp.srtp.internal.SessionKeys;
import org.rtc4j.rtp.srtp.internal.SrtpTransform;
import org.rtc4j.rtp.srtp.internal.StreamState;
import org.rtc4j.rtp.srtp.internal.StreamTable;

/**
 * One direction of an SRTP session (RFC 3711, RFC 7714): a master key, the session keys derived from it, and
 * per-SSRC state (rollover counter, replay windows, SRTCP index) created on demand. Use one context to
 * protect what you send and another, with the peer's key, to unprotect what you receive.
 *
 * <p>Packets are transformed in place in the caller's array: protecting needs {@link SrtpProfile#rtpOverhead()}
 * (or {@link SrtpProfile#rtcpOverhead()}) spare bytes after the packet. Unprotecting a packet that is malformed,
 * fails authentication, is a replay, or belongs to one SSRC too many returns {@link #DROPPED}, counts it, and
 * never throws; the bytes of a dropped packet are then unspecified.
 *
 * <p>Not thread-safe: one connection's loop drives it (DESIGN.md, the driver and threads).
 */
public final class SrtpContext {

    /** What the unprotect methods return for a packet that was dropped. */
    public static final int DROPPED = -1;

    /** Streams (SSRCs) a context tracks by default before it drops packets of new ones. */
    public static final int DEFAULT_MAX_STREAMS = 1024;

    private final SrtpProfile profile;
    private final SrtpTransform rtp;
    private final SrtpTransform rtcp;
    private final StreamTable streams;
    private long malformed;
    private long authFailures;
    private long replays;
    private long streamLimitDrops;

    public SrtpContext(SrtpMasterKey masterKey) {
        this(masterKey, DEFAULT_MAX_STREAMS);
    }

    public SrtpContext(SrtpMasterKey masterKey, int maxStreams) {
        this(masterKey.profile(),
                KeyDerivation.sessionKeys(masterKey.keyNoCopy(), masterKey.saltNoCopy(), false,
                        masterKey.profile().isAead()),
                KeyDerivation.sessionKeys(masterKey.keyNoCopy(), masterKey.saltNoCopy(), true,
                        masterKey.profile().isAead()),
                maxStreams);
    }

    /** With session keys given directly, as the RFC 7714 test vectors give them. */
    SrtpContext(SrtpProfile profile, SessionKeys rtpKeys, SessionKeys rtcpKeys, int maxStreams) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.rtp = transform(profile, rtpKeys, profile.rtpTagLength());
        this.rtcp = transform(profile, rtcpKeys, profile.rtpTagLength());
        this.streams = new StreamTable(maxStreams);
    }

    private static SrtpTransform transform(SrtpProfile profile, SessionKeys keys, int tagLength) {
        return profile.isAead() ? new AesGcmTransform(keys) : new AesCmHmacTransform(keys, tagLength);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Protects the RTP packet in {@code buf[off, off+len)} in place and returns its new length.
     *
     * @throws IllegalArgumentException when the packet is not RTP or {@code buf} has no room for the tag: the
     *         caller's bug, not the network's
     */
    public int protectRtp(byte[] buf, int off, int len) {
        return protectRtp(buf, off, len, buf, off);
    }

    /**
     * Protects the RTP packet in {@code in[inOff, inOff+len)} into {@code out} at {@code outOff}, which needs room
     * for the packet and {@link SrtpProfile#rtpOverhead()}; returns the protected length. The regions must not
     * overlap unless they are the same. With AES-GCM this spares the copy an in-place transform makes: a
     * forwarder protects straight from the packet it received.
     *
     * @throws IllegalArgumentException when the packet is not RTP or {@code out} has no room
     */
    public int protectRtp(byte[] in, int inOff, int len, byte[] out, int outOff) {
        int header = rtpHeaderLength(in, inOff, len);
        if (header < 0) {
            throw new IllegalArgumentException("not an RTP packet (" + len + " bytes)");
        }
        requireRoom(out, outOff, len, rtp.rtpOverhead());
        int ssrc = ssrcAt(in, inOff + 8);
        StreamState state = streams.get(ssrc);
        if (state == null) {
            state = streams.add(ssrc);
            if (state == null) {
                throw new IllegalStateException("more than the maximum number of SSRCs in one SRTP context");
            }
        }
        long index = state.estimateIndex(sequenceNumber(in, inOff));
        if (index < 0) {
            index = sequenceNumber(in, inOff);
        }
        ReplayWindow window = state.rtpWindow();
        if (index > window.top()) {
            window.accept(index);
        }
        return rtp.protectRtp(in, inOff, len, header, out, outOff, ssrc, index);
    }

    /** Unprotects the SRTP packet in place: its RTP length, or {@link #DROPPED}. */
    public int unprotectRtp(byte[] buf, int off, int len) {
        return unprotectRtp(buf, off, len, buf, off);
    }

    /**
     * Unprotects the SRTP packet in {@code in[inOff, inOff+len)} into {@code out} at {@code outOff} (room for
     * {@code len} bytes; the regions must not overlap unless they are the same): its RTP length, or
     * {@link #DROPPED}. {@code in} is not modified.
     */
    public int unprotectRtp(byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (in == null || out == null || inOff < 0 || len < 0 || inOff + len > in.length || outOff < 0
                || outOff + len > out.length) {
            malformed++;
            return DROPPED;
        }
        int header = rtpHeaderLength(in, inOff, len);
        if (header < 0 || len - header < rtp.rtpOverhead()) {
            malformed++;
            return DROPPED;
        }
        int ssrc = ssrcAt(in, inOff + 8);
        StreamState state = streams.get(ssrc);
        // RFC 3711 3.3: guess the index, check for a replay, authenticate, and only then update the state.
        long index = state == null ? sequenceNumber(in, inOff) : state.estimateIndex(sequenceNumber(in, inOff));
        if (index < 0 || (state != null && !state.rtpWindow().accepts(index))) {
            replays++;
            return DROPPED;
        }
        int plain = rtp.unprotectRtp(in, inOff, len, header, out, outOff, ssrc, index);
        if (plain < 0) {
            authFailures++;
            return DROPPED;
        }
        if (state == null) {
            // Authenticated: only now does the SSRC earn state.
            state = streams.add(ssrc);
            if (state == null) {
                streamLimitDrops++;
                return DROPPED;
            }
        }
        state.rtpWindow().accept(index);
        return plain;
    }

    /**
     * Protects the compound RTCP packet in {@code buf[off, off+len)} in place and returns its new length.
     *
     * @throws IllegalArgumentException when the packet is not RTCP or {@code buf} has no room for the trailer
     */
    public int protectRtcp(byte[] buf, int off, int len) {
        if (!isRtcp(buf, off, len)) {
            throw new IllegalArgumentException("not an RTCP packet (" + len + " bytes)");
        }
        requireRoom(buf, off, len, rtcp.rtcpOverhead());
        int ssrc = ssrcAt(buf, off + 4);
        StreamState state = streams.get(ssrc);
        if (state == null) {
            state = streams.add(ssrc);
            if (state == null) {
                throw new IllegalStateException("more than the maximum number of SSRCs in one SRTP context");
            }
        }
        return rtcp.protectRtcp(buf, off, len, ssrc, state.takeSrtcpIndex());
    }

    /** Unprotects the SRTCP packet in place: its RTCP length, or {@link #DROPPED}. */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off + len > buf.length || !isRtcp(buf, off, len)) {
            malformed++;
            return DROPPED;
        }
        long word = rtcp.rtcpIndexWord(buf, off, len);
        if (word < 0) {
            malformed++;
            return DROPPED;
        }
        long index = word & 0x7FFF_FFFFL;
        int ssrc = ssrcAt(buf, off + 4);
        StreamState state = streams.get(ssrc);
        if (state != null && !state.rtcpWindow().accepts(index)) {
            replays++;
            return DROPPED;
        }
        int plain = rtcp.unprotectRtcp(buf, off, len, ssrc, word);
        if (plain < 0) {
            authFailures++;
            return DROPPED;
        }
        if (state == null) {
            state = streams.add(ssrc);
            if (state == null) {
                streamLimitDrops++;
                return DROPPED;
            }
        }
        state.rtcpWindow().accept(index);
        return plain;
    }

    /** Sets the SRTCP index the next packet of {@code ssrc} is sent with (for tests and test vectors). */
    void setNextSrtcpIndex(int ssrc, int index) {
        StreamState state = streams.get(ssrc);
        if (state == null) {
            state = streams.add(ssrc);
        }
        state.setNextSrtcpIndex(index);
    }

    /** Packets dropped because they were not SRTP/SRTCP or too short. */
    public long malformedCount() {
        return malformed;
    }

    /** Packets dropped because their tag did not verify. */
    public long authFailureCount() {
        return authFailures;
    }

    /** Packets dropped as replays or too old for the replay window. */
    public long replayCount() {
        return replays;
    }

    /** Authentic packets dropped because their SSRC would exceed the maximum number of streams. */
    public long streamLimitCount() {
        return streamLimitDrops;
    }

    /** SSRCs with state in this context. */
    public int streamCount() {
        return streams.size();
    }

    /**
     * The length of the RTP header (fixed part, CSRCs and extension, RFC 3550 section 5.1), or -1 when the
     * bytes are not an RTP packet.
     */
    static int rtpHeaderLength(byte[] buf, int off, int len) {
        if (len < 12 || (buf[off] & 0xC0) != 0x80) {
            return -1;
        }
        int header = 12 + 4 * (buf[off] & 0x0F);
        if ((buf[off] & 0x10) != 0) {
            if (header + 4 > len) {
                return -1;
            }
            int words = ((buf[off + header + 2] & 0xFF) << 8) | (buf[off + header + 3] & 0xFF);
            header += 4 + 4 * words;
        }
        return header <= len ? header : -1;
    }

    private static boolean isRtcp(byte[] buf, int off, int len) {
        return len >= 8 && (buf[off] & 0xC0) == 0x80;
    }

    private static int sequenceNumber(byte[] buf, int off) {
        return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }

    private static int ssrcAt(byte[] buf, int at) {
        return ((buf[at] & 0xFF) << 24) | ((buf[at + 1] & 0xFF) << 16) | ((buf[at + 2] & 0xFF) << 8)
                | (buf[at + 3] & 0xFF);
    }

    private static void requireRoom(byte[] buf, int off, int len, int overhead) {
        if (off < 0 || len < 0 || off + len + overhead > buf.length) {
            throw new IllegalArgumentException("the buffer needs " + overhead + " spare bytes after the packet");
        }
    }
}
