package org.rtc4j;

import static org.rtc4j.PeerStats.TRANSPORT_ID;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rtc4j.internal.TransceiverModel;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.rtp.session.InboundRtpStats;
import org.rtc4j.rtp.session.OutboundRtpStats;
import org.rtc4j.rtp.session.RemoteInboundRtpStats;
import org.rtc4j.rtp.session.RemoteOutboundRtpStats;
import org.rtc4j.rtp.session.RtpSession;
import org.rtc4j.sdp.RtpCodecParameters;

/**
 * The media stats of a connection (W3C webrtc-stats sections 7.2 to 7.6 and 8.2 to 8.6): inbound-rtp,
 * outbound-rtp, remote-inbound-rtp, remote-outbound-rtp and the codec objects they reference, from what the RTP
 * session counts, each stream tied to its transceiver by SSRC or mid. Members not known yet (a round-trip time
 * before the first report) are left out, as the specification asks.
 */
final class PeerRtpStats {

    private PeerRtpStats() {
    }

    /** Adds the session's streams and their codecs to {@code out}; nothing before DTLS has keyed SRTP. */
    static void collect(RtpSession session, PeerMedia media, double ts, List<RTCStats> out) {
        if (session == null) {
            return;
        }
        List<TransceiverModel> models = media.models;
        long now = System.nanoTime();
        Map<String, RTCStats> codecs = new HashMap<>();
        List<RemoteInboundRtpStats> remoteInbound = session.remoteInboundRtpStats();
        List<InboundRtpStats> inbound = session.inboundRtpStats();
        List<RemoteOutboundRtpStats> remoteOutbound = session.remoteOutboundRtpStats();
        for (OutboundRtpStats o : session.outboundRtpStats()) {
            TransceiverModel m = bySsrc(models, o.ssrc());
            Map<String, Object> s = stream(o.ssrc(), m, codecId(m, "O", codecs, ts));
            put(s, "mid", o.mid());
            put(s, "rid", o.rid());
            s.put("packetsSent", o.packetsSent());
            s.put("bytesSent", o.bytesSent());
            s.put("headerBytesSent", o.headerBytesSent());
            s.put("retransmittedPacketsSent", o.retransmittedPacketsSent());
            s.put("retransmittedBytesSent", o.retransmittedBytesSent());
            s.put("nackCount", o.nackCount());
            s.put("pliCount", o.pliCount());
            s.put("firCount", o.firCount());
            if (m != null && "video".equals(m.kind)) {
                s.put("framesSent", o.framesSent());
                RTCRtpTransceiver t = media.transceiverOf(m);
                if (t != null) {
                    t.sender().encoder.stats.putInto(s, now);
                }
            }
            s.put("active", m != null && m.sending());
            RTCRtpTransceiver sending = m == null ? null : media.transceiverOf(m);
            MediaStreamTrack track = sending == null ? null : sending.sender().track();
            if (track != null) {
                s.put("mediaSourceId", mediaSource(m, track, ts, out));
            }
            if (remoteInbound.stream().anyMatch(r -> r.ssrc() == o.ssrc())) {
                s.put("remoteId", "RI" + Integer.toUnsignedString(o.ssrc()));
            }
            out.add(new RTCStats("outbound-rtp", "OT01V" + Integer.toUnsignedString(o.ssrc()), ts, s));
        }
        for (RemoteInboundRtpStats r : remoteInbound) {
            TransceiverModel m = bySsrc(models, r.ssrc());
            Map<String, Object> s = stream(r.ssrc(), m, codecId(m, "O", codecs, ts));
            s.put("localId", "OT01V" + Integer.toUnsignedString(r.ssrc()));
            s.put("packetsLost", r.packetsLost());
            s.put("fractionLost", r.fractionLost());
            s.put("jitter", r.jitter());
            putRoundTrip(s, r.roundTripTime(), r.totalRoundTripTime(), r.roundTripTimeMeasurements());
            out.add(new RTCStats("remote-inbound-rtp", "RI" + Integer.toUnsignedString(r.ssrc()), ts, s));
        }
        for (InboundRtpStats i : inbound) {
            TransceiverModel m = byMid(models, i.mid());
            Map<String, Object> s = stream(i.ssrc(), m, codecId(m, "I", codecs, ts));
            put(s, "mid", i.mid());
            put(s, "rid", i.rid());
            s.put("packetsReceived", i.packetsReceived());
            s.put("bytesReceived", i.bytesReceived());
            s.put("headerBytesReceived", i.headerBytesReceived());
            s.put("packetsLost", i.packetsLost());
            s.put("jitter", i.jitter());
            s.put("packetsDiscarded", i.packetsDiscarded());
            s.put("retransmittedPacketsReceived", i.retransmittedPacketsReceived());
            s.put("retransmittedBytesReceived", i.retransmittedBytesReceived());
            s.put("nackCount", i.nackCount());
            s.put("pliCount", i.pliCount());
            s.put("firCount", i.firCount());
            if (m != null && "video".equals(m.kind)) {
                s.put("framesReceived", i.framesReceived());
                s.put("framesDropped", i.framesDropped());
            }
            RTCRtpTransceiver t = m == null ? null : media.transceiverOf(m);
            if (t != null && "audio".equals(m.kind) && i.rid() == null && t.receiver().playout.started()) {
                s.put("playoutId", playout(m, t.receiver().playout, ts, out));
            }
            if (i.lastPacketReceivedTimestamp() > 0) {
                s.put("lastPacketReceivedTimestamp", (double) i.lastPacketReceivedTimestamp());
            }
            if (remoteOutbound.stream().anyMatch(r -> r.ssrc() == i.ssrc())) {
                s.put("remoteId", "RO" + Integer.toUnsignedString(i.ssrc()));
            }
            out.add(new RTCStats("inbound-rtp", "IT01V" + Integer.toUnsignedString(i.ssrc()), ts, s));
        }
        for (RemoteOutboundRtpStats r : remoteOutbound) {
            InboundRtpStats local = inbound.stream().filter(i -> i.ssrc() == r.ssrc())
                    .findFirst().orElse(null);
            TransceiverModel m = local == null ? null : byMid(models, local.mid());
            Map<String, Object> s = stream(r.ssrc(), m, codecId(m, "I", codecs, ts));
            if (local != null) {
                s.put("localId", "IT01V" + Integer.toUnsignedString(r.ssrc()));
            }
            s.put("packetsSent", r.packetsSent());
            s.put("bytesSent", r.bytesSent());
            s.put("remoteTimestamp", r.remoteTimestamp());
            s.put("reportsSent", r.reportsSent());
            putRoundTrip(s, r.roundTripTime(), r.totalRoundTripTime(), r.roundTripTimeMeasurements());
            out.add(new RTCStats("remote-outbound-rtp", "RO" + Integer.toUnsignedString(r.ssrc()), ts, s));
        }
        out.addAll(codecs.values());
    }

    /**
     * The media-source object of a sender's track (RTCMediaSourceStats, section 7.7): which track feeds it; what
     * a raw source measures (levels, frame sizes) is not known of encoded frames, so left out as the spec allows.
     */
    private static String mediaSource(TransceiverModel m, MediaStreamTrack track, double ts, List<RTCStats> out) {
        String id = "SO" + Integer.toUnsignedString(m.ssrc);
        Map<String, Object> s = new HashMap<>();
        s.put("trackIdentifier", track.id());
        s.put("kind", m.kind);
        out.add(new RTCStats("media-source", id, ts, s));
        return id;
    }

    /** The media-playout object of an audio receiver's track (RTCAudioPlayoutStats, section 8.13). */
    private static String playout(TransceiverModel m, AudioPlayoutStats playout, double ts, List<RTCStats> out) {
        String id = "AP" + m.mid;
        if (out.stream().noneMatch(s -> s.id().equals(id))) {
            Map<String, Object> s = new HashMap<>();
            playout.putInto(s);
            out.add(new RTCStats("media-playout", id, ts, s));
        }
        return id;
    }

    /**
     * The stats of one sender (its outbound-rtp, by SSRC) or receiver (its inbound-rtp, by mid), with the objects
     * they reference (W3C section 8.5, the stats selection algorithm): remote, codec, media source, transport.
     */
    static RTCStatsReport select(RTCStatsReport all, TransceiverModel m, boolean sender) {
        List<RTCStats> picked = new ArrayList<>();
        for (RTCStats s : all.ofType(sender ? "outbound-rtp" : "inbound-rtp")) {
            Object ssrc = s.members().get("ssrc");
            boolean ours = sender ? ssrc instanceof Long l && l == Integer.toUnsignedLong(m.ssrc)
                    : m.mid != null && m.mid.equals(s.members().get("mid"));
            if (ours) {
                picked.add(s);
                for (String ref : List.of("remoteId", "codecId", "mediaSourceId", "playoutId", "transportId")) {
                    Object id = s.members().get(ref);
                    if (id instanceof String i && all.get(i) != null && !picked.contains(all.get(i))) {
                        picked.add(all.get(i));
                    }
                }
            }
        }
        return new RTCStatsReport(picked);
    }

    /** The members every RTP stream stats object has (RTCRtpStreamStats, section 7.2). */
    private static Map<String, Object> stream(int ssrc, TransceiverModel m, String codecId) {
        Map<String, Object> s = new HashMap<>();
        s.put("ssrc", Integer.toUnsignedLong(ssrc));
        s.put("transportId", TRANSPORT_ID);
        if (m != null) {
            s.put("kind", m.kind);
        }
        put(s, "codecId", codecId);
        return s;
    }

    /**
     * The id of the transceiver's negotiated codec in one direction ("I" inbound, "O" outbound), its codec
     * object (RTCCodecStats, section 7.1) added once; null without a negotiated codec.
     */
    private static String codecId(TransceiverModel m, String direction, Map<String, RTCStats> codecs, double ts) {
        RtpCodecParameters c = m == null ? null : m.codec;
        if (c == null) {
            return null;
        }
        RTCRtpCodec codec = RTCRtpCodec.of(m.kind, c);
        String id = "C" + direction + TRANSPORT_ID + "_" + c.payloadType()
                + (codec.sdpFmtpLine().isEmpty() ? "" : "_" + codec.sdpFmtpLine());
        codecs.computeIfAbsent(id, k -> {
            Map<String, Object> s = new HashMap<>();
            s.put("payloadType", (long) c.payloadType());
            s.put("transportId", TRANSPORT_ID);
            s.put("mimeType", codec.mimeType());
            s.put("clockRate", (long) codec.clockRate());
            if ("audio".equals(m.kind)) {
                s.put("channels", (long) codec.channels());
            }
            put(s, "sdpFmtpLine", codec.sdpFmtpLine().isEmpty() ? null : codec.sdpFmtpLine());
            return new RTCStats("codec", k, ts, s);
        });
        return id;
    }

    private static void putRoundTrip(Map<String, Object> s, double rtt, double total, long measurements) {
        if (!Double.isNaN(rtt)) {
            s.put("roundTripTime", rtt);
        }
        s.put("totalRoundTripTime", total);
        s.put("roundTripTimeMeasurements", measurements);
    }

    private static void put(Map<String, Object> s, String name, Object value) {
        if (value != null) {
            s.put(name, value);
        }
    }

    private static TransceiverModel bySsrc(List<TransceiverModel> models, int ssrc) {
        for (TransceiverModel m : models) {
            if (m.ssrc == ssrc) {
                return m;
            }
        }
        return null;
    }

    private static TransceiverModel byMid(List<TransceiverModel> models, String mid) {
        for (TransceiverModel m : models) {
            if (mid != null && mid.equals(m.mid)) {
                return m;
            }
        }
        return null;
    }
}
