package org.rtc4j;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.rtc4j.internal.TransceiverModel;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.rtp.AudioLevel;
import org.rtc4j.rtp.EncodedFrame;

/**
 * {@code RTCRtpSender} (W3C section 5.2): sends its track on the transceiver's negotiated codec, packetized,
 * protected and repaired (NACK/RTX) by the connection's RTP session. Raw pictures and audio (a synthetic or
 * captured device, a Y4M or WAV file, a {@code PushSource}) are encoded (H.264, Opus, G.711; see
 * {@code MediaCodecs}); encoded frames (a file source, a {@code PushSource} of them) pass through as they are.
 * A frame of another codec than the negotiated one, or given before the connection sends, is dropped and
 * counted.
 */
public final class RTCRtpSender {

    private final PeerMedia media;
    final TransceiverModel model;
    /** The sink on the track: encoded frames pass, raw ones are encoded with the negotiated codec. */
    final SenderEncoder encoder = new SenderEncoder(() -> this.encodings.get(0), this::onFrame);
    private volatile MediaStreamTrack track;
    private volatile List<RTCRtpEncodingParameters> encodings;
    private String transactionId;
    private final RTCDTMFSender dtmf;
    private long transactions;

    RTCRtpSender(PeerMedia media, TransceiverModel model, MediaStreamTrack track,
                 List<RTCRtpEncodingParameters> encodings) {
        this.media = media;
        this.model = model;
        this.dtmf = "audio".equals(model.kind) ? new RTCDTMFSender(media, model) : null;
        this.encodings = encodings.isEmpty() ? List.of(RTCRtpEncodingParameters.defaults()) : List.copyOf(encodings);
        setTrack(track);
    }

    /** The track it sends, or null. */
    public MediaStreamTrack track() {
        return track;
    }

    /**
     * Sends another track (or none) from now on, without renegotiation (W3C section 5.2, replaceTrack).
     *
     * @return a future failed with TypeError for a track of the other kind, InvalidStateError once stopped
     */
    public CompletableFuture<Void> replaceTrack(MediaStreamTrack withTrack) {
        return media.async(() -> {
            if (withTrack != null && !withTrack.kind().toString().equals(model.kind)) {
                throw new TypeError("a " + model.kind + " sender cannot send a " + withTrack.kind() + " track");
            }
            if (model.stopped) {
                throw new InvalidStateError("the transceiver is stopped");
            }
            setTrack(withTrack);
            return null;
        });
    }

    /** The encodings and the negotiated codec (W3C section 5.2, getParameters). */
    public RTCRtpSendParameters getParameters() {
        return media.call(() -> {
            transactionId = Long.toString(++transactions);
            return new RTCRtpSendParameters(transactionId, encodings, PeerMedia.codecs(model));
        });
    }

    /**
     * Changes the encodings (W3C section 5.2, setParameters): pass what getParameters returned, with its
     * encodings' {@code active}, {@code maxBitrate}, {@code maxFramerate} or {@code scaleResolutionDownBy}
     * changed; an inactive encoding sends nothing.
     *
     * @return a future failed with InvalidModificationError for stale parameters, another number of encodings, a
     *     changed rid or codec list; RangeError for scaleResolutionDownBy below 1 or a negative maxFramerate
     *     (video) or maxBitrate; InvalidStateError once stopped
     */
    public CompletableFuture<Void> setParameters(RTCRtpSendParameters parameters) {
        return media.async(() -> {
            if (transactionId == null || !transactionId.equals(parameters.transactionId())) {
                throw new InvalidModificationError("pass the parameters the last getParameters returned");
            }
            if (model.stopped) {
                throw new InvalidStateError("the transceiver is stopped");
            }
            if (parameters.encodings().size() != encodings.size()) {
                throw new InvalidModificationError("the number of encodings cannot change");
            }
            // W3C section 5.2, setParameters: the read-only members (each encoding's rid, the codecs) stay as given
            for (int i = 0; i < encodings.size(); i++) {
                if (!Objects.equals(parameters.encodings().get(i).rid(), encodings.get(i).rid())) {
                    throw new InvalidModificationError("an encoding's rid cannot change");
                }
            }
            if (!parameters.codecs().equals(PeerMedia.codecs(model))) {
                throw new InvalidModificationError("the codecs are read-only: use setCodecPreferences");
            }
            List<RTCRtpEncodingParameters> checked = SendEncodings.checkValues(model.kind, parameters.encodings());
            transactionId = null;
            encodings = checked;
            return null;
        });
    }

    /** The stats of what it sends: its outbound-rtp and what that references (W3C section 5.2, getStats). */
    public CompletableFuture<RTCStatsReport> getStats() {
        return media.stats(model, true);
    }

    /** The transport its packets go on (all sections share one under BUNDLE); null before negotiation. */
    public RTCDtlsTransport transport() {
        return media.transport(model);
    }

    /** Its DTMF sender (W3C section 5.2, dtmf): for an audio sender; null for video. */
    public RTCDTMFSender dtmf() {
        return dtmf;
    }

    /** What rtc4j can send of a kind ("audio" or "video"); null for another kind. */
    public static RTCRtpCapabilities getCapabilities(String kind) {
        return RTCRtpCapabilities.of(kind);
    }

    void setTrack(MediaStreamTrack t) {
        MediaStreamTrack old = track;
        if (old == t) {
            return;
        }
        if (old != null) {
            old.removeSink(encoder);
        }
        track = t;
        if (t != null) {
            t.addSink(encoder);
        }
    }

    /** Frames the RTP session took on this sender's stream so far (tests: read on the loop, inline). */
    long framesSent() {
        return media.call(() -> {
            var session = media.transport().session();
            return session == null ? 0 : session.outboundRtpStats().stream().filter(s -> s.ssrc() == model.ssrc)
                    .mapToLong(org.rtc4j.rtp.session.OutboundRtpStats::framesSent).sum();
        });
    }

    private void onFrame(EncodedFrame frame, AudioLevel level) {
        media.send(model, frame, level);
    }
}
