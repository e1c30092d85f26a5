package org.rtc4j;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.internal.MediaTransport;
import org.rtc4j.internal.PeerStack;
import org.rtc4j.internal.TransceiverModel;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.rtp.AudioLevel;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.rtcp.ReceiverEstimatedMaxBitrate;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.sdp.Direction;
import org.rtc4j.sdp.RtpCodecParameters;

/**
 * The transceivers of a connection behind the W3C facade (W3C section 5): addTrack, removeTrack and
 * addTransceiver, frames from the senders' tracks into the stack's media transport, received frames to the
 * receivers' tracks, and the track event. Loop-confined, except where a method says it hops to the loop.
 */
final class PeerMedia {

    private final RTCPeerConnection pc;
    private final IoLoop loop;
    private final PeerStack stack;
    private final Supplier<Instant> now;
    /** The negotiation's view, in the order of their m= sections; the facade's objects beside them. */
    final List<TransceiverModel> models = new ArrayList<>();
    private final Map<TransceiverModel, RTCRtpTransceiver> transceivers = new LinkedHashMap<>();
    private final Map<String, MediaStream> remoteStreams = new HashMap<>();
    /** The SSRC the peer sends on each mid, as the RTP session bound it (for key frame requests). */
    private final Map<String, Integer> remoteSsrcs = new HashMap<>();
    private final SplittableRandom random = new SplittableRandom();
    final EventSlot<RTCTrackEvent> onTrack;

    PeerMedia(RTCPeerConnection pc, IoLoop loop, PeerStack stack, Supplier<Instant> now) {
        this.pc = pc;
        this.loop = loop;
        this.stack = stack;
        this.now = now;
        this.onTrack = new EventSlot<>("track", loop);
    }

    // =================================================================================== the application's calls

    /** addTrack (W3C section 4.4.1.8 and 5.1): a transceiver of the kind never used to send, else a new one. */
    RTCRtpSender addTrack(MediaStreamTrack track, List<MediaStream> streams) {
        for (RTCRtpTransceiver t : transceivers.values()) {
            if (t.sender().track() == track) {
                throw new InvalidAccessError("the track is already sent on this connection");
            }
        }
        for (RTCRtpTransceiver t : transceivers.values()) {
            TransceiverModel m = t.model;
            if (!m.stopped && m.kind.equals(track.kind().toString()) && t.sender().track() == null
                    && m.trackId == null && !m.direction.sends()) {
                t.sender().setTrack(track);
                m.trackId = track.id();
                m.streamIds = streams.stream().map(MediaStream::id).toList();
                m.direction = Direction.of(true, m.direction.receives());
                changed();
                return t.sender();
            }
        }
        return add(track.kind().toString(), track, new RTCRtpTransceiverInit(RTCRtpTransceiverDirection.SENDRECV,
                streams, List.of())).sender();
    }

    /** removeTrack (W3C section 4.4.1.8): the sender stops sending; the direction loses "send". */
    void removeTrack(RTCRtpSender sender) {
        RTCRtpTransceiver t = transceivers.get(sender.model);
        if (t == null || t.sender() != sender) {
            throw new InvalidAccessError("the sender is not one of this connection's");
        }
        if (sender.track() == null || sender.model.stopped) {
            return;
        }
        sender.setTrack(null);
        sender.model.direction = Direction.of(false, sender.model.direction.receives());
        changed();
    }

    /** addTransceiver (W3C section 4.4.1.8): a new transceiver at the end, with a track or of a kind. */
    RTCRtpTransceiver add(String kind, MediaStreamTrack track, RTCRtpTransceiverInit init) {
        if (!"audio".equals(kind) && !"video".equals(kind)) {
            throw new TypeError("kind must be audio or video: " + kind);
        }
        List<RTCRtpEncodingParameters> encodings = SendEncodings.forNewSender(kind, init.sendEncodings());
        int ssrc = nonZero();
        int rtx;
        do {
            rtx = nonZero();
        } while (rtx == ssrc);
        TransceiverModel m = new TransceiverModel(kind, init.direction().toSdp(), ssrc, rtx);
        m.trackId = track == null ? null : track.id();
        m.streamIds = init.streams().stream().map(MediaStream::id).toList();
        RTCRtpTransceiver t = wrap(m, track, encodings);
        changed();
        return t;
    }

    /** A transceiver for a section a remote offer added (W3C section 4.4.1.6): recvonly, no track. */
    TransceiverModel createForRemote(String kind) {
        TransceiverModel m = new TransceiverModel(kind, Direction.RECVONLY, nonZero(), nonZero());
        wrap(m, null, List.of());
        return m;
    }

    private RTCRtpTransceiver wrap(TransceiverModel m, MediaStreamTrack track, List<RTCRtpEncodingParameters> e) {
        RTCRtpTransceiver t = new RTCRtpTransceiver(this, m, new RTCRtpSender(this, m, track, e));
        models.add(m);
        transceivers.put(m, t);
        return t;
    }

    private int nonZero() {
        int s;
        do {
            s = random.nextInt();
        } while (s == 0);
        return s;
    }

    void stop(RTCRtpTransceiver t) {
        if (t.model.stopped) {
            return;
        }
        t.model.stopped = true;
        t.sender().encoder.negotiated(null);
        t.sender().setTrack(null);
        t.receiver().end();
        changed();
    }

    /** Transceivers the negotiation stopped or removed: their tracks end; removed ones leave the connection. */
    void retire(List<TransceiverModel> ended) {
        for (TransceiverModel m : ended) {
            RTCRtpTransceiver t = transceivers.get(m);
            if (t != null) {
                t.sender().setTrack(null);
                t.receiver().end();
                if (!models.contains(m)) {
                    transceivers.remove(m);
                }
            }
        }
    }

    /** The transceiver of a model, or null once it left the connection. */
    RTCRtpTransceiver transceiverOf(TransceiverModel m) {
        return transceivers.get(m);
    }

    List<RTCRtpTransceiver> all() {
        return List.copyOf(transceivers.values());
    }

    /** A change the next offer must carry: negotiationneeded (W3C section 4.7.3). */
    void changed() {
        pc.mediaChanged();
    }

    // =================================================================================== frames

    /**
     * A frame from a sender's track into the RTP session: at once when it comes on the loop (a received frame
     * reflected by a sink, a source paced on the loop), so a received frame is sent back in the pump that
     * released it, with no task queued between; from a source's thread, onto the loop first.
     */
    void send(TransceiverModel m, EncodedFrame frame, AudioLevel level) {
        if (loop.inLoop()) {
            sendOnLoop(m, frame, level);
        } else {
            loop.execute(() -> sendOnLoop(m, frame, level));
        }
    }

    private void sendOnLoop(TransceiverModel m, EncodedFrame frame, AudioLevel level) {
        if (m.sending()) {
            stack.media().send(now.get(), m.ssrc, frame, level);
            pc.pumpSoon();
        }
    }

    /**
     * What the RTP session reported: telephone events and the sources of frames to the receiver of their mid,
     * whole frames to its track.
     */
    void onEvent(RtpSessionEvent e) {
        if (e instanceof RtpSessionEvent.TelephoneEventReceived t && t.mid() != null) {
            for (RTCRtpTransceiver x : transceivers.values()) {
                if (t.mid().equals(x.model.mid) && !x.model.stopped) {
                    x.receiver().telephoneEvent(t);
                }
            }
        }
        if (e instanceof RtpSessionEvent.FrameReceived f && f.mid() != null) {
            for (RTCRtpTransceiver x : transceivers.values()) {
                if (f.mid().equals(x.model.mid)) {
                    x.receiver().sourceSeen(f.ssrc(), f.frame().timestamp(), now.get().toEpochMilli(),
                            f.sources());
                }
            }
        }
        if (e instanceof RtpSessionEvent.FrameReceived f && f.mid() != null) {
            for (RTCRtpTransceiver t : transceivers.values()) {
                if (f.mid().equals(t.model.mid) && !t.model.stopped && t.model.delivers(f.rid())) {
                    t.receiver().deliver(f.frame());
                    return;
                }
            }
        }
        forCodecs(e);
    }

    /**
     * What the encoders and key frame requests need: the SSRC each mid receives on; a key frame request (PLI,
     * FIR) and the peer's estimate (REMB) to the encoder of the sender of that SSRC.
     */
    private void forCodecs(RtpSessionEvent e) {
        switch (e) {
            case RtpSessionEvent.StreamBound b when b.mid() != null && b.rid() == null -> remoteSsrcs.put(b.mid(),
                    b.ssrc());
            case RtpSessionEvent.KeyFrameRequested k -> {
                RTCRtpSender s = senderOf(k.ssrc());
                if (s != null) {
                    s.encoder.requestKeyFrame();
                    MediaStreamTrack track = s.track();
                    if (track != null) {   // frames passed through: the request goes to where they come from
                        track.source().requestKeyFrame();
                    }
                }
            }
            case RtpSessionEvent.CongestionFeedback(ReceiverEstimatedMaxBitrate remb) -> {
                for (int ssrc : remb.ssrcs()) {
                    RTCRtpSender s = senderOf(ssrc);
                    if (s != null) {
                        s.encoder.estimate(remb.bitrate());
                    }
                }
            }
            default -> {
            }
        }
    }

    private RTCRtpSender senderOf(int ssrc) {
        for (RTCRtpTransceiver t : transceivers.values()) {
            if (t.model.ssrc == ssrc) {
                return t.sender();
            }
        }
        return null;
    }

    /**
     * SRTP is keyed: the encoders start, each with a key frame (the peer cannot decode without one). Until now
     * they encoded nothing, since nothing could be sent.
     */
    void started() {
        negotiated();
        transceivers.values().forEach(t -> t.sender().encoder.requestKeyFrame());
    }

    /**
     * An offer/answer was applied (or SRTP keyed): each sender's encoder learns the codec it sends now, or null
     * while it sends nothing.
     */
    void negotiated() {
        boolean up = stack.media().running();
        for (RTCRtpTransceiver t : transceivers.values()) {
            TransceiverModel m = t.model;
            t.sender().encoder.negotiated(up && m.sending() ? Codec.byName(m.codec.name()) : null);
        }
    }

    /** Asks the peer for a key frame on a receiver's stream (PLI); false before its stream arrived. */
    boolean requestKeyFrame(TransceiverModel m) {
        Integer ssrc = m.mid == null ? null : remoteSsrcs.get(m.mid);
        if (ssrc == null || m.stopped) {
            return false;
        }
        stack.media().requestKeyFrame(ssrc);
        pc.pumpSoon();
        return true;
    }

    /** The peer started sending on these transceivers: a track event each, its track in the peer's streams. */
    void fireTracks(List<TransceiverModel> started) {
        for (TransceiverModel m : started) {
            RTCRtpTransceiver t = transceivers.get(m);
            MediaStreamTrack track = t.receiver().track();
            List<MediaStream> streams = new ArrayList<>();
            for (String id : m.remoteStreamIds) {
                MediaStream s = remoteStreams.computeIfAbsent(id, k -> new MediaStream(k, List.of()));
                if (s.getTrackById(track.id()) == null) {
                    s.addTrack(track);
                }
                streams.add(s);
            }
            onTrack.fire(new RTCTrackEvent(t.receiver(), track, streams, t));
        }
    }

    /** The connection closed: senders let go of their tracks, received tracks end. */
    void close() {
        for (RTCRtpTransceiver t : transceivers.values()) {
            t.sender().setTrack(null);
            t.receiver().end();
            if (t.sender().dtmf() != null) {
                t.sender().dtmf().close();
            }
        }
        onTrack.clear();
    }

    // =================================================================================== helpers for the API

    /**
     * The negotiated codecs, each followed by its RTX: the one sent first, then the others in the answer's order;
     * as W3C parameters, empty before negotiation.
     */
    static List<RTCRtpCodecParameters> codecs(TransceiverModel m) {
        List<RTCRtpCodecParameters> out = new ArrayList<>();
        List<RtpCodecParameters> sentFirst = new ArrayList<>(m.codecs);
        if (m.codec != null && sentFirst.remove(m.codec)) {
            sentFirst.add(0, m.codec);
        }
        for (RtpCodecParameters c : sentFirst) {
            out.add(new RTCRtpCodecParameters(c.payloadType(), RTCRtpCodec.of(m.kind, c)));
            int rtx = m.rtxOf(c.payloadType());
            if (rtx >= 0) {
                out.add(new RTCRtpCodecParameters(rtx, new RTCRtpCodec(m.kind + "/rtx", c.clockRate(), 0,
                        "apt=" + c.payloadType())));
            }
        }
        return out;
    }

    /** The connection's stats narrowed to one sender or receiver (W3C section 5.2 and 5.3, getStats). */
    CompletableFuture<RTCStatsReport> stats(TransceiverModel m, boolean sender) {
        return pc.getStats().thenApply(all -> PeerRtpStats.select(all, m, sender));
    }

    /** The transport of a transceiver's section: the one BUNDLE transport once it has a mid, else null. */
    RTCDtlsTransport transport(TransceiverModel m) {
        return call(() -> m.mid == null || m.stopped ? null : pc.dtlsTransport());
    }

    IoLoop loop() {
        return loop;
    }

    Instant now() {
        return now.get();
    }

    MediaTransport transport() {
        return stack.media();
    }

    void pumpSoon() {
        pc.pumpSoon();
    }

    <T> T call(Supplier<T> action) {
        return loop.call(action);
    }

    <T> CompletableFuture<T> async(Supplier<T> action) {
        return pc.async(action);
    }
}
