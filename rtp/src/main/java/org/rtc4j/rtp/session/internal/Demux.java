package org.rtc4j.rtp.session.internal;

import java.util.List;
import java.util.Objects;
import java.util.Queue;
import org.rtc4j.rtp.RtpPacket;
import org.rtc4j.rtp.SdesExtension;
import org.rtc4j.rtp.session.ExtensionIds;
import org.rtc4j.rtp.session.ReceiveStreamConfig;
import org.rtc4j.rtp.session.RtpSessionEvent;

/**
 * Which receive stream an SSRC belongs to (RFC 9143 section 9.2, RFC 8852 section 4): a signaled SSRC, else the
 * MID and RID (or repaired RID, for RTX) of the packet that brought a new SSRC, else the one unsignaled stream of
 * its payload type, as browsers do. A bounded table, scanned linearly: a session has few streams.
 */
public final class Demux {

    /** SSRCs bound at most; authentic packets of one more are dropped. */
    public static final int MAX_BINDINGS = 64;

    private ExtensionIds ids;
    private final List<ReceiveStream> receiveStreams;
    private final Queue<RtpSessionEvent> events;
    private final int[] ssrcs = new int[MAX_BINDINGS];
    private final ReceiveStream[] streams = new ReceiveStream[MAX_BINDINGS];
    private final boolean[] rtx = new boolean[MAX_BINDINGS];
    private int count;

    public Demux(ExtensionIds ids, List<ReceiveStream> receiveStreams, Queue<RtpSessionEvent> events) {
        this.ids = ids;
        this.receiveStreams = receiveStreams;
        this.events = events;
    }

    /** The extension ids from the next packet on (a renegotiation added some, RFC 8285 section 6). */
    public void extensions(ExtensionIds value) {
        ids = value;
    }

    /** The slot of a bound SSRC, or -1. */
    public int lookup(int ssrc) {
        for (int i = 0; i < count; i++) {
            if (ssrcs[i] == ssrc) {
                return i;
            }
        }
        return -1;
    }

    public ReceiveStream stream(int slot) {
        return streams[slot];
    }

    /** Whether the slot's SSRC carries the stream's retransmissions (RFC 4588). */
    public boolean isRtx(int slot) {
        return rtx[slot];
    }

    /** Binds the SSRC of a packet seen for the first time; its slot, or -1 when no stream takes it. */
    public int bindNew(RtpPacket packet) {
        String mid = SdesExtension.of(packet, ids.mid());
        String rid = SdesExtension.of(packet, ids.rid());
        String rrid = SdesExtension.of(packet, ids.repairedRid());
        int pt = packet.payloadType();
        boolean signaled = mid != null || rid != null || rrid != null;
        for (ReceiveStream s : receiveStreams) {
            if (signaled ? !matches(s, mid, rrid != null ? rrid : rid) : !s.config.unsignaled()) {
                continue;
            }
            if (pt == s.config.payloadType() && rrid == null && !s.bound) {
                int slot = bind(packet.ssrc(), s, false);
                if (slot >= 0) {
                    s.ssrc = packet.ssrc();
                    s.bound = true;
                    events.add(new RtpSessionEvent.StreamBound(s.config.mid(), s.config.rid(), s.ssrc));
                }
                return slot;
            }
            if (!s.rtxBound && (pt == s.config.rtxPayloadType() || rtxFormat(s, pt) != null)) {
                int slot = bind(packet.ssrc(), s, true);
                if (slot >= 0) {
                    s.rtxSsrc = packet.ssrc();
                    s.rtxBound = true;
                }
                return slot;
            }
        }
        return -1;
    }

    /**
     * The format negotiated for payload type {@code pt} in the section of {@code s} (another receive stream of its
     * MID and RID, not bound to an SSRC of its own, or the one {@code s} began with), learnt by {@code s}, or null:
     * what {@code s} switches to when its peer changes codec.
     */
    public ReceiveStreamConfig format(ReceiveStream s, int pt) {
        ReceiveStreamConfig f = s.format(pt);
        return f != null ? f : learn(s, pt, false);
    }

    /** As {@link #format}, for the format whose RTX payload type is {@code pt} (RFC 4588 section 8.6, apt). */
    public ReceiveStreamConfig rtxFormat(ReceiveStream s, int pt) {
        ReceiveStreamConfig f = s.rtxFormat(pt);
        return f != null ? f : learn(s, pt, true);
    }

    private ReceiveStreamConfig learn(ReceiveStream s, int pt, boolean rtx) {
        ReceiveStreamConfig found = null;
        if ((rtx ? s.first.rtxPayloadType() : s.first.payloadType()) == pt) {
            found = s.first;
        }
        for (int i = 0; i < receiveStreams.size() && found == null; i++) {
            ReceiveStream o = receiveStreams.get(i);
            if (o != s && !o.bound && (rtx ? o.config.rtxPayloadType() : o.config.payloadType()) == pt
                    && Objects.equals(o.config.mid(), s.config.mid())
                    && Objects.equals(o.config.rid(), s.config.rid())) {
                found = o.config;
            }
        }
        if (found != null) {
            s.learn(found);
        }
        return found;
    }

    private static boolean matches(ReceiveStream s, String mid, String rid) {
        return (mid == null || mid.equals(s.config.mid())) && (rid == null || rid.equals(s.config.rid()));
    }

    /** Binds {@code ssrc} to {@code s}; its slot, or -1 when the table is full. */
    public int bind(int ssrc, ReceiveStream s, boolean isRtx) {
        if (count == MAX_BINDINGS) {
            return -1;
        }
        ssrcs[count] = ssrc;
        streams[count] = s;
        rtx[count] = isRtx;
        return count++;
    }
}
