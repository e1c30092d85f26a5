package org.rtc4j;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.rtc4j.internal.DtmfPlayout;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.rtc4j.internal.TransceiverModel;
import org.rtc4j.rtp.payload.TelephoneEvent;
import org.rtc4j.sdp.RtpCodecParameters;

/**
 * {@code RTCDTMFSender} (W3C section 7): DTMF tones sent as RFC 4733 telephone events in an audio sender's
 * stream (its SSRC and sequence numbers, the negotiated {@code telephone-event} payload type of the audio
 * codec's clock rate). {@link #insertDTMF} validates and clamps as the specification says; each tone is reported
 * every 50 ms while it lasts and ended by three final reports (RFC 4733 section 2.5.1); {@code tonechange} fires as
 * each tone starts and with {@code ""} once the buffer is played out.
 */
public final class RTCDTMFSender {

    /** Volume of our tones, in -dBm0 (RFC 4733 section 2.3.4; what browsers send). */
    private static final int VOLUME = 10;
    /** RFC 4733 section 2.5.1.4: the final report is sent three times. */
    private static final int FINAL_REPORTS = 3;
    private static final long MAX_SEGMENT = 0xFFFF;

    private final PeerMedia media;
    private final TransceiverModel model;
    private final DtmfPlayout playout = new DtmfPlayout();
    private final List<DtmfPlayout.Action> actions = new ArrayList<>();
    private final EventSlot<RTCDTMFToneChangeEvent> onToneChange;
    private final IoLoop.Timed timer = new IoLoop.Timed() {
        @Override
        public Instant deadline() {
            return playout.deadline();
        }

        @Override
        public void onTimer() {
            play();
        }
    };
    private boolean timed;
    /** The RTP timestamp (the stream's clock, before its offset) of the tone being sent. */
    private long eventTimestamp;

    RTCDTMFSender(PeerMedia media, TransceiverModel model) {
        this.media = media;
        this.model = model;
        this.onToneChange = new EventSlot<>("tonechange", media.loop());
    }

    /** {@code insertDTMF(tones, 100, 70)}. */
    public void insertDTMF(String tones) {
        insertDTMF(tones, 100, 70);
    }

    /** {@code insertDTMF(tones, duration, 70)}. */
    public void insertDTMF(String tones, long duration) {
        insertDTMF(tones, duration, 70);
    }

    /**
     * Replaces the tones to play (W3C section 7.2): {@code 0-9 A-D # *} in any case, {@code ,} for a 2-second
     * pause; {@code duration} is clamped to 40..6000 ms, {@code interToneGap} to 30..6000 ms.
     *
     * @throws InvalidStateError when the transceiver is stopped or its current direction does not send
     * @throws InvalidCharacterError for another character
     */
    public void insertDTMF(String tones, long duration, long interToneGap) {
        Objects.requireNonNull(tones, "tones");
        media.call(() -> {
            if (model.stopped) {
                throw new InvalidStateError("the transceiver is stopped");
            }
            if (model.currentDirection != null && !model.currentDirection.sends()) {
                throw new InvalidStateError("the transceiver does not send (current direction "
                        + model.currentDirection.sdpValue() + ")");
            }
            if (!DtmfPlayout.valid(tones)) {
                throw new InvalidCharacterError("DTMF tones are 0-9, A-D, #, * and ',': " + tones);
            }
            playout.insert(media.now(), tones, duration, interToneGap);
            if (!timed) {
                timed = true;
                media.loop().addTimed(timer);
            }
            return null;
        });
    }

    /** The tones not played yet. */
    public String toneBuffer() {
        return media.call(playout::toneBuffer);
    }

    /**
     * Whether tones can be sent now (W3C section 7.2): the transceiver sends, and telephone-event was negotiated
     * at the clock rate of its audio codec.
     */
    public boolean canInsertDTMF() {
        return media.call(() -> model.sending() && eventPayloadType() >= 0);
    }

    /** The tonechange event. */
    public void onToneChange(Consumer<RTCDTMFToneChangeEvent> handler) {
        onToneChange.set(handler);
    }

    /** The connection closed (on the loop): nothing more is played, the handler is let go. */
    void close() {
        playout.stop();
        if (timed) {
            timed = false;
            media.loop().removeTimed(timer);
        }
        onToneChange.clear();
    }

    /** The telephone-event payload type in the audio codec's clock (one SSRC has one clock), or -1. */
    private int eventPayloadType() {
        RtpCodecParameters audio = model.codec;
        if (audio == null) {
            return -1;
        }
        return model.codecs.stream().filter(c -> c.is("telephone-event") && c.clockRate() == audio.clockRate())
                .mapToInt(RtpCodecParameters::payloadType).findFirst().orElse(-1);
    }

    /** On the loop, when the playout has something due. */
    private void play() {
        Instant now = media.now();
        if (model.stopped) {
            playout.stop();
        }
        actions.clear();
        playout.poll(now, actions);
        for (DtmfPlayout.Action a : actions) {
            switch (a) {
                case DtmfPlayout.ToneChange t -> onToneChange.fire(new RTCDTMFToneChangeEvent(t.tone()));
                case DtmfPlayout.Report r -> send(now, r);
            }
        }
        if (playout.deadline() == null) {
            timed = false;
            media.loop().removeTimed(timer);
        }
        media.pumpSoon();
    }

    /**
     * One report on the wire. Past 65535 ticks (1.37 s at 48 kHz) an event goes on in a new segment whose
     * timestamp is where the last ended (RFC 4733 section 2.5.1.3).
     */
    private void send(Instant now, DtmfPlayout.Report r) {
        int pt = eventPayloadType();
        if (pt < 0 || !model.sending()) {
            return;
        }
        if (r.first()) {
            eventTimestamp = media.transport().timestampAt(model.ssrc, r.start());
        }
        long ticks = r.durationMillis() * model.codec.clockRate() / 1000;
        long segment = r.end() ? Math.max(0, ticks - 1) / MAX_SEGMENT : ticks / MAX_SEGMENT;
        TelephoneEvent report = new TelephoneEvent(r.event(), r.end(), VOLUME, (int) (ticks - segment * MAX_SEGMENT));
        long timestamp = (eventTimestamp + segment * MAX_SEGMENT) & 0xFFFF_FFFFL;
        for (int i = 0; i < (r.end() ? FINAL_REPORTS : 1); i++) {
            media.transport().sendTelephoneEvent(now, model.ssrc, pt, timestamp, report, r.first());
        }
    }
}
