package org.rtc4j.media.codec;

import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.codec.internal.RtpTime;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * {@link G711} behind the {@link AudioDecoder} interface: 8 kHz mono out, times from the RTP timestamps. G.711
 * has no concealment of its own (G.711 Appendix I is a separate algorithm, not implemented): a lost packet
 * becomes silence of the last packet's length.
 */
public final class G711Decoder implements AudioDecoder {

    private final Codec codec;
    private final RtpTime clock = new RtpTime(G711.SAMPLE_RATE);
    private int lastSamples = 160;
    private long nextMicros;

    public G711Decoder(Codec codec) {
        if (codec != Codec.PCMU && codec != Codec.PCMA) {
            throw new IllegalArgumentException("not G.711: " + codec);
        }
        this.codec = codec;
    }

    @Override
    public Codec codec() {
        return codec;
    }

    @Override
    public AudioFrame decode(EncodedFrame frame) {
        if (frame.codec() != codec) {
            throw new IllegalArgumentException("not " + codec + ": " + frame);
        }
        AudioFrame out = G711.decode(frame, clock.micros(frame.timestamp()));
        lastSamples = out.samplesPerChannel();
        nextMicros = out.timestampMicros() + out.durationMicros();
        return out;
    }

    @Override
    public AudioFrame conceal() {
        AudioFrame out = AudioFrame.silence(G711.SAMPLE_RATE, 1, lastSamples, nextMicros);
        nextMicros += out.durationMicros();
        return out;
    }
}
