package org.rtc4j;

import org.rtc4j.internal.TransceiverModel;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PushSource;
import org.rtc4j.rtp.EncodedFrame;

/**
 * {@code RTCRtpReceiver} (W3C section 5.3): its track delivers each whole frame the peer sends on the
 * transceiver, in order, to the track's encoded-frame sinks (on the connection's thread: sinks must not block).
 * For raw pictures and audio, add a {@code org.rtc4j.media.codec.DecodingSink} around a raw sink: it decodes
 * with the matching decoder (H.264, Opus, G.711).
 */
public final class RTCRtpReceiver {

    private final PeerMedia media;
    final TransceiverModel model;
    private final PushSource source;
    private final MediaStreamTrack track;

    RTCRtpReceiver(PeerMedia media, TransceiverModel model) {
        this.media = media;
        this.model = model;
        this.source = new PushSource("audio".equals(model.kind) ? MediaKind.AUDIO : MediaKind.VIDEO,
                "remote " + model.kind);
        this.track = source.createTrack();
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

    void deliver(EncodedFrame frame) {
        if (frame.codec().isVideo() == "video".equals(model.kind)) {
            source.push(frame);
        }
    }

    /** The transceiver stopped or the connection closed: the track ends (W3C section 5.3). */
    void end() {
        source.endOfStream();
    }
}
