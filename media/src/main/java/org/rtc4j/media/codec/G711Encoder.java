package org.rtc4j.media.codec;

import java.util.ArrayList;
import java.util.List;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * {@link G711} behind the {@link AudioEncoder} interface: audio of any rate and channel count is mixed to mono
 * and resampled to 8 kHz ({@link AudioResampler}), then cut into packets of {@code frameMillis} (20 ms, 160
 * samples, is RFC 3551's default packetization), RTP timestamps at 8 kHz from the first input's time.
 */
public final class G711Encoder implements AudioEncoder {

    private final Codec codec;
    private final int frameSamples;
    private final AudioResampler resampler = new AudioResampler(G711.SAMPLE_RATE, 1);
    private final short[] pending;
    private int filled;
    private long pendingMicros;

    /** An encoder of {@link Codec#PCMU} or {@link Codec#PCMA} packets of {@code frameMillis} (10 to 100 ms). */
    public G711Encoder(Codec codec, int frameMillis) {
        if (codec != Codec.PCMU && codec != Codec.PCMA) {
            throw new IllegalArgumentException("not G.711: " + codec);
        }
        if (frameMillis < 10 || frameMillis > 100) {
            throw new IllegalArgumentException("frame of 10 to 100 ms, not " + frameMillis);
        }
        this.codec = codec;
        this.frameSamples = G711.SAMPLE_RATE / 1000 * frameMillis;
        this.pending = new short[frameSamples];
    }

    @Override
    public Codec codec() {
        return codec;
    }

    @Override
    public List<EncodedFrame> encode(AudioFrame frame) {
        AudioFrame in = resampler.process(frame);
        if (in == null) {
            return List.of();
        }
        List<EncodedFrame> out = List.of();
        short[] s = in.samples();
        for (int offset = 0; offset < s.length; ) {
            if (filled == 0) {
                pendingMicros = in.timestampMicros() + offset * 1_000_000L / G711.SAMPLE_RATE;
            }
            int n = Math.min(s.length - offset, frameSamples - filled);
            System.arraycopy(s, offset, pending, filled, n);
            filled += n;
            offset += n;
            if (filled == frameSamples) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                out.add(G711.encode(new AudioFrame(pending.clone(), G711.SAMPLE_RATE, 1, pendingMicros), codec));
                filled = 0;
            }
        }
        return out;
    }
}
