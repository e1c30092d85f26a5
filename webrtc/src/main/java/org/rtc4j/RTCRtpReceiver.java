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
import org.rtc4j.rtp.EncodedFrame;
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

    private final PeerMedia media;
    final TransceiverModel model;
    private final PushSource source;
    private final MediaStreamTrack track;
    private final DtmfReception dtmfReception = new DtmfReception();
    private final EventSlot<RTCReceivedDtmfTone> onDtmf;
    private final Map<Integer, RTCRtpContributingSource> sources = new HashMap<>();
    private volatile Double jitterBufferTarget;

    RTCRtpReceiver(PeerMedia media, TransceiverModel model) {
        this.media = media;
        this.model = model;
        this.source = new PushSource("audio".equals(model.kind) ? MediaKind.AUDIO : MediaKind.VIDEO,
                "remote " + model.kind);
        this.track = source.createTrack();
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
        return media.call(() -> {
            double horizon = media.now().toEpochMilli() - SOURCE_WINDOW_MILLIS;
            List<RTCRtpContributingSource> out = new ArrayList<>();
            for (RTCRtpContributingSource s : sources.values()) {
                if (s.timestamp() >= horizon) {
                    out.add(s);
                }
            }
            out.sort(Comparator.comparingDouble(RTCRtpContributingSource::timestamp).reversed());
            return out;
        });
    }

    /**
     * The CSRCs of the frames it delivered in the last 10 seconds (W3C section 5.3, getContributingSources):
     * empty, as the RTP session does not yet surface the CSRC list of received packets (a mixer's sources).
     */
    public List<RTCRtpContributingSource> getContributingSources() {
        return List.of();
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

    /** A frame of SSRC {@code ssrc} was delivered (on the loop): the source's latest entry. */
    void sourceSeen(int ssrc, long rtpTimestamp, double nowMillis) {
        if (sources.size() < MAX_SOURCES || sources.containsKey(ssrc)) {
            sources.put(ssrc, new RTCRtpContributingSource(nowMillis, Integer.toUnsignedLong(ssrc), null,
                    rtpTimestamp & 0xFFFF_FFFFL));
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
            source.push(frame);
        }
    }

    /** The transceiver stopped or the connection closed: the track ends (W3C section 5.3). */
    void end() {
        source.endOfStream();
        onDtmf.clear();
    }
}
