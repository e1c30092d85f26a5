package org.rtc4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.rtc4j.internal.DtmfPlayout;
import org.rtc4j.internal.DtmfReception;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.TransceiverModel;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.AudioLevel;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.session.FrameSources;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.sdp.RtpCodecParameters;

/**
 * {@code RTCRtpReceiver} (W3C section 5.3): its track delivers each whole frame the peer sends on the
 * transceiver, in order, to the track's encoded-frame sinks (on the connection's thread: sinks must not block).
 * For raw pictures and audio, add a {@code org.rtc4j.media.codec.DecodingSink} around a raw sink: it decodes
 * with the matching decoder (H.264, Opus, G.711).
 */
public final class RTCRtpReceiver {

    /** W3C section 5.3.1: sources are reported for 10 seconds; a receiver has few (bounded all the same). */
    private static final long SOURCE_WINDOW_MILLIS = 10_000;
    private static final int MAX_SOURCES = 64;
    private static final long FORWARDED_REQUEST_INTERVAL_NANOS = 250_000_000;

    private final PeerMedia media;
    final TransceiverModel model;
    private final PushSource source;
    private final MediaStreamTrack track;
    private final DtmfReception dtmfReception = new DtmfReception();
    private final EventSlot<RTCReceivedDtmfTone> onDtmf;
    private final Map<Integer, RTCRtpContributingSource> sources = new HashMap<>();
    private final Map<Integer, RTCRtpContributingSource> contributors = new HashMap<>();
    private volatile Double jitterBufferTarget;
    private long lastForwardedRequest;
    /** What its track played out (audio), for media-playout. */
    final AudioPlayoutStats playout = new AudioPlayoutStats();

    RTCRtpReceiver(PeerMedia media, TransceiverModel model) {
        this.media = media;
        this.model = model;
        this.source = new PushSource("audio".equals(model.kind) ? MediaKind.AUDIO : MediaKind.VIDEO,
                "remote " + model.kind);
        this.track = source.createTrack();
        source.onKeyFrameRequest(this::keyFrameWantedDownstream);
        this.onDtmf = new EventSlot<>("dtmf", media.loop());
    }

    public MediaStreamTrack track() {
        return track;
    }

    /**
     * Asks the peer for a key frame now (RTCP PLI, RFC 4585 section 6.3.1), say to start a recording or a decoder
     * at one; as {@code RTCRtpScriptTransformer.sendKeyFrameRequest} of W3C WebRTC Encoded Transform. False
     * when nothing is received on it yet.
     */
    public boolean requestKeyFrame() {
        return media.call(() -> media.requestKeyFrame(model));
    }

    /**
     * A sender passing this track's frames on was asked for a key frame (a watcher of a forwarded stream
     * joined or lost packets): the request goes on to the peer as a PLI, without waiting for this loop, and at
     * most one per {@link #FORWARDED_REQUEST_INTERVAL_NANOS} (many watchers asking at once cost one key frame).
     */
    private void keyFrameWantedDownstream() {
        long now = System.nanoTime();
        synchronized (this) {
            if (lastForwardedRequest != 0 && now - lastForwardedRequest < FORWARDED_REQUEST_INTERVAL_NANOS) {
                return;
            }
            lastForwardedRequest = now;
        }
        media.async(() -> media.requestKeyFrame(model));
    }

    /** The negotiated codecs (W3C section 5.3, getParameters). */
    public RTCRtpReceiveParameters getParameters() {
        return media.call(() -> new RTCRtpReceiveParameters(PeerMedia.codecs(model)));
    }

    /** What rtc4j can receive of a kind ("audio" or "video"); null for another kind. */
    public static RTCRtpCapabilities getCapabilities(String kind) {
        return RTCRtpCapabilities.of(kind);
    }

    /** The stats of what it receives: its inbound-rtp and what that references (W3C section 5.3, getStats). */
    public CompletableFuture<RTCStatsReport> getStats() {
        return media.stats(model, false);
    }

    /** The transport its packets come on (all sections share one under BUNDLE); null before negotiation. */
    public RTCDtlsTransport transport() {
        return media.transport(model);
    }

    /**
     * The SSRCs whose frames it delivered in the last 10 seconds, the latest first (W3C section 5.3,
     * getSynchronizationSources).
     */
    public List<RTCRtpContributingSource> getSynchronizationSources() {
        return media.call(() -> recent(sources));
    }

    /**
     * The CSRCs (a mixer's contributors, RFC 3550 section 7.1) of the frames it delivered in the last 10
     * seconds, the latest first, each with its RFC 6465 level when the mixer sends it (W3C section 5.3,
     * getContributingSources).
     */
    public List<RTCRtpContributingSource> getContributingSources() {
        return media.call(() -> recent(contributors));
    }

    private List<RTCRtpContributingSource> recent(Map<Integer, RTCRtpContributingSource> of) {
        double horizon = media.now().toEpochMilli() - SOURCE_WINDOW_MILLIS;
        List<RTCRtpContributingSource> out = new ArrayList<>();
        for (RTCRtpContributingSource s : of.values()) {
            if (s.timestamp() >= horizon) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingDouble(RTCRtpContributingSource::timestamp).reversed());
        return out;
    }

    /**
     * The playout delay the application asks for, in milliseconds, or null for the default (W3C section 5.3,
     * jitterBufferTarget). Kept as asked: rtc4j hands each frame on as soon as it is whole and plays nothing out.
     */
    public Double jitterBufferTarget() {
        return jitterBufferTarget;
    }

    /** @throws RangeError outside 0..4000 ms */
    public void setJitterBufferTarget(Double target) {
        if (target != null && (target < 0 || target > 4000 || target.isNaN())) {
            throw new RangeError("jitterBufferTarget must be 0 to 4000 ms: " + target);
        }
        jitterBufferTarget = target;
    }

    /**
     * A frame of SSRC {@code ssrc} was delivered (on the loop): the latest entry of its SSRC, with the RFC 6464
     * level of its packets, and of each CSRC they listed, with its RFC 6465 level (W3C section 5.4: levels
     * converted to 0..1; null where none came).
     */
    void sourceSeen(int ssrc, long rtpTimestamp, double nowMillis, FrameSources from) {
        long rtp = rtpTimestamp & 0xFFFF_FFFFL;
        note(sources, ssrc, new RTCRtpContributingSource(nowMillis, Integer.toUnsignedLong(ssrc),
                from == null ? null : level(from.ssrcLevel()), rtp), nowMillis);
        if (from != null) {
            int[] csrcs = from.csrcs();
            int[] levels = from.csrcLevels();
            for (int i = 0; i < csrcs.length; i++) {
                note(contributors, csrcs[i], new RTCRtpContributingSource(nowMillis,
                        Integer.toUnsignedLong(csrcs[i]), level(levels[i]), rtp), nowMillis);
            }
        }
    }

    private static Double level(int rfcLevel) {
        return rfcLevel < 0 ? null : AudioLevel.toLinear(rfcLevel);
    }

    /** Keeps a source's entry; a full table first forgets those older than the window (bounded memory). */
    private static void note(Map<Integer, RTCRtpContributingSource> of, int source, RTCRtpContributingSource entry,
                             double nowMillis) {
        if (of.size() >= MAX_SOURCES && !of.containsKey(source)) {
            of.values().removeIf(s -> s.timestamp() < nowMillis - SOURCE_WINDOW_MILLIS);
        }
        if (of.size() < MAX_SOURCES || of.containsKey(source)) {
            of.put(source, entry);
        }
    }

    /**
     * Non-standard (rtc4j): DTMF tones the peer sends on this receiver's stream (RFC 4733 telephone events), each
     * reported once it ends, on the connection's thread. W3C WebRTC has no way to receive DTMF.
     */
    public void onDtmf(Consumer<RTCReceivedDtmfTone> handler) {
        onDtmf.set(handler);
    }

    /** A telephone-event report of our stream: a whole tone goes to the handler. */
    void telephoneEvent(RtpSessionEvent.TelephoneEventReceived e) {
        DtmfReception.Tone tone = dtmfReception.receive(e.timestamp(), e.report());
        String name = tone == null ? null : DtmfPlayout.toneOf(tone.event());
        int clock = model.codecs.stream().filter(c -> c.payloadType() == e.payloadType())
                .mapToInt(RtpCodecParameters::clockRate).findFirst().orElse(0);
        if (name != null && clock > 0) {
            onDtmf.fire(new RTCReceivedDtmfTone(name, Duration.ofNanos(tone.ticks() * 1_000_000_000L / clock)));
        }
    }

    void deliver(EncodedFrame frame) {
        if (frame.codec().isVideo() == "video".equals(model.kind)) {
            if (!frame.codec().isVideo()) {
                playout.delivered(frame);
            }
            source.push(frame);
        }
    }

    /** The transceiver stopped or the connection closed: the track ends (W3C section 5.3). */
    void end() {
        source.endOfStream();
        onDtmf.clear();
    }
}
