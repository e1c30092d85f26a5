package org.rtc4j;

import java.util.ArrayList;
import java.util.List;
import org.rtc4j.internal.TransceiverModel;
import org.rtc4j.sdp.CodecNegotiation;
import org.rtc4j.sdp.RtpCapabilities;
import org.rtc4j.sdp.RtpCodecParameters;

/**
 * {@code RTCRtpTransceiver} (W3C section 5.4): a sender and a receiver sharing one m= section (its mid), with
 * the direction the application asks for and the one the last offer/answer settled.
 */
public final class RTCRtpTransceiver {

    private final PeerMedia media;
    final TransceiverModel model;
    private final RTCRtpSender sender;
    private final RTCRtpReceiver receiver;

    RTCRtpTransceiver(PeerMedia media, TransceiverModel model, RTCRtpSender sender) {
        this.media = media;
        this.model = model;
        this.sender = sender;
        this.receiver = new RTCRtpReceiver(media, model);
    }

    /** The mid of its m= section; null until an offer or answer associated one. */
    public String mid() {
        return media.call(() -> model.mid);
    }

    public RTCRtpSender sender() {
        return sender;
    }

    public RTCRtpReceiver receiver() {
        return receiver;
    }

    public RTCRtpTransceiverDirection direction() {
        return media.call(() -> model.stopped ? RTCRtpTransceiverDirection.STOPPED
                : RTCRtpTransceiverDirection.of(model.direction));
    }

    /**
     * Asks for another direction; it applies after the next offer/answer (negotiationneeded fires).
     *
     * @throws InvalidStateError once stopped; TypeError for {@code stopped} (use {@link #stop()})
     */
    public void setDirection(RTCRtpTransceiverDirection direction) {
        if (direction == RTCRtpTransceiverDirection.STOPPED) {
            throw new TypeError("use stop() to stop a transceiver");
        }
        media.call(() -> {
            if (model.stopped) {
                throw new InvalidStateError("the transceiver is stopped");
            }
            if (model.direction != direction.toSdp()) {
                model.direction = direction.toSdp();
                media.changed();
            }
            return null;
        });
    }

    /** The direction the last offer/answer settled, null before one; stopped once stopped. */
    public RTCRtpTransceiverDirection currentDirection() {
        return media.call(() -> model.stopped ? RTCRtpTransceiverDirection.STOPPED
                : RTCRtpTransceiverDirection.of(model.currentDirection));
    }

    /** Stops sending and receiving at once; its section is rejected in the next offer (W3C section 5.4, stop). */
    public void stop() {
        media.call(() -> {
            media.stop(this);
            return null;
        });
    }

    /**
     * The codecs to negotiate, in order (W3C section 5.4, setCodecPreferences); an empty list restores the
     * default. Each must be one of {@code RTCRtpReceiver.getCapabilities(kind)}.
     *
     * @throws InvalidModificationError for a codec rtc4j does not have, or only RTX, RED or FEC
     */
    public void setCodecPreferences(List<RTCRtpCodec> codecs) {
        List<RtpCodecParameters> all = RtpCapabilities.defaults(model.kind).codecs();
        List<RtpCodecParameters> chosen = new ArrayList<>();
        for (RTCRtpCodec c : codecs) {
            RtpCodecParameters p = all.stream().filter(x -> c.matches(model.kind, x)).findFirst()
                    .orElseThrow(() -> new InvalidModificationError(c.mimeType() + " is not a capability"));
            chosen.add(p);
        }
        try {
            CodecNegotiation.preferences(all, chosen);
        } catch (IllegalArgumentException e) {
            throw new InvalidModificationError(e.getMessage());
        }
        media.call(() -> {
            model.codecPreferences = List.copyOf(chosen);
            return null;
        });
    }

    @Override
    public String toString() {
        return "RTCRtpTransceiver[" + model.kind + ", mid " + model.mid + "]";
    }
}
