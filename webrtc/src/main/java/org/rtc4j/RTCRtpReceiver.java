package org.rtc4j;

import java.time.Duration;
import java.util.function.Consumer;
import org.rtc4j.internal.DtmfPlayout;
import org.rtc4j.internal.DtmfReception;
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
 */
public final class RTCRtpReceiver {

    private final PeerMedia media;
    final TransceiverModel model;
    private final PushSource source;
    private final MediaStreamTrack track;
    private final DtmfReception dtmfReception = new DtmfReception();
    private volatile Consumer<RTCReceivedDtmfTone> dtmfHandler;

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

    /** The negotiated codecs (W3C section 5.3, getParameters). */
    public RTCRtpReceiveParameters getParameters() {
        return media.call(() -> new RTCRtpReceiveParameters(PeerMedia.codecs(model)));
    }

    /** What rtc4j can receive of a kind ("audio" or "video"); null for another kind. */
    public static RTCRtpCapabilities getCapabilities(String kind) {
        return RTCRtpCapabilities.of(kind);
    }

    /**
     * Non-standard (rtc4j): DTMF tones the peer sends on this receiver's stream (RFC 4733 telephone events), each
     * reported once it ends, on the connection's thread. W3C WebRTC has no way to receive DTMF.
     */
    public void onDtmf(Consumer<RTCReceivedDtmfTone> handler) {
        dtmfHandler = handler;
    }

    /** A telephone-event report of our stream: a whole tone goes to the handler. */
    void telephoneEvent(RtpSessionEvent.TelephoneEventReceived e) {
        DtmfReception.Tone tone = dtmfReception.receive(e.timestamp(), e.report());
        String name = tone == null ? null : DtmfPlayout.toneOf(tone.event());
        int clock = model.codecs.stream().filter(c -> c.payloadType() == e.payloadType())
                .mapToInt(RtpCodecParameters::clockRate).findFirst().orElse(0);
        Consumer<RTCReceivedDtmfTone> h = dtmfHandler;
        if (name != null && clock > 0 && h != null) {
            h.accept(new RTCReceivedDtmfTone(name, Duration.ofNanos(tone.ticks() * 1_000_000_000L / clock)));
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
    }
}
