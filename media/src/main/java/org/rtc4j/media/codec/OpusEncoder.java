package org.rtc4j.media.codec;

import java.util.ArrayList;
import java.util.List;
import org.rtc4j.codec.opus.internal.OpusApplication;
import org.rtc4j.codec.opus.internal.OpusException;
import org.rtc4j.codec.opus.internal.OpusSignal;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.codec.internal.RtpTime;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Opus encoding (RFC 6716) on module codec-opus: Concentus, a pure-Java port of libopus 1.1, with the encoder
 * improvements of later libopus releases that matter most for quality (codec-opus's README). Works at 48 kHz inside, as RFC 7587 section
 * 4.1 has the RTP clock: input at another rate or channel count goes through an {@link AudioResampler} first.
 * Packets carry {@link OpusSettings#frameMillis()} of audio each, with RTP timestamps at 48 kHz from the first
 * input's time. With DTX on, the one- or two-byte packets Opus makes for silence are not returned (RFC 7587
 * section 3.1.3: nothing is sent; the receiver conceals), only the periodic comfort-noise updates.
 */
public final class OpusEncoder implements AudioEncoder {

    /** Opus's (and its RTP clock's) rate, RFC 7587 section 4.1. */
    public static final int SAMPLE_RATE = 48_000;
    // RFC 6716 section 3.2.1 caps a frame at 1275 bytes; a 60 ms packet holds up to three.
    private static final int MAX_PACKET = 3 * 1275 + 7;

    private final org.rtc4j.codec.opus.internal.OpusEncoder encoder;
    private final int channels;
    private final int frameSamples;
    private final short[] pcm;
    private final byte[] packet = new byte[MAX_PACKET];
    private final boolean dtx;
    private AudioResampler resampler;
    private int filled;        // samples per channel in pcm
    private long nextTicks;    // 48 kHz time of pcm's first sample
    private boolean started;
    private long suppressed;

    public OpusEncoder(OpusSettings settings) {
        this.channels = settings.channels();
        this.frameSamples = SAMPLE_RATE / 1000 * settings.frameMillis();
        this.pcm = new short[frameSamples * channels];
        this.dtx = settings.dtx();
        try {
            encoder = new org.rtc4j.codec.opus.internal.OpusEncoder(SAMPLE_RATE, channels,
                    settings.voice() ? OpusApplication.OPUS_APPLICATION_VOIP : OpusApplication.OPUS_APPLICATION_AUDIO);
        } catch (OpusException e) {
            throw new IllegalStateException("the Opus encoder refused a valid configuration", e);
        }
        encoder.setBitrate(settings.bitrate());
        encoder.setComplexity(settings.complexity());
        encoder.setUseInbandFEC(settings.inbandFec());
        encoder.setPacketLossPercent(settings.packetLossPercent());
        encoder.setUseDTX(settings.dtx());
        encoder.setUseVBR(!settings.constantBitrate());
        encoder.setUseConstrainedVBR(true);
        encoder.setSignalType(settings.voice() ? OpusSignal.OPUS_SIGNAL_VOICE : OpusSignal.OPUS_SIGNAL_MUSIC);
    }

    @Override
    public Codec codec() {
        return Codec.OPUS;
    }

    /** Changes the target bit rate from the next packet on (6 000 to 510 000). */
    public void setBitrate(int bitsPerSecond) {
        if (bitsPerSecond < 6_000 || bitsPerSecond > 510_000) {
            throw new IllegalArgumentException("bit rate out of 6000..510000: " + bitsPerSecond);
        }
        encoder.setBitrate(bitsPerSecond);
    }

    /** As {@link #setBitrate}, clamped to Opus's 6 000 to 510 000. */
    @Override
    public void setTargetBitrate(int bitsPerSecond) {
        setBitrate(Math.max(6_000, Math.min(510_000, bitsPerSecond)));
    }

    /** The loss the receiver reports (RTCP), which sets how much in-band FEC is spent. */
    public void setPacketLossPercent(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("loss out of 0..100 %: " + percent);
        }
        encoder.setPacketLossPercent(percent);
    }

    /** Samples (at 48 kHz) the encoder delays its input: a decoder's output lags by this (Ogg's pre-skip). */
    public int lookahead() {
        return encoder.getLookahead();
    }

    /** Silent packets DTX kept back. */
    public long suppressedPackets() {
        return suppressed;
    }

    @Override
    public List<EncodedFrame> encode(AudioFrame frame) {
        AudioFrame in = frame;
        if (frame.sampleRate() != SAMPLE_RATE || frame.channels() != channels) {
            if (resampler == null) {
                resampler = new AudioResampler(SAMPLE_RATE, channels);
            }
            in = resampler.process(frame);
            if (in == null) {
                return List.of();
            }
        }
        if (!started) {
            started = true;
            nextTicks = RtpTime.timestamp(in.timestampMicros(), SAMPLE_RATE);
        }
        List<EncodedFrame> out = List.of();
        short[] s = in.samples();
        int offset = 0;
        int total = in.samplesPerChannel();
        while (offset < total) {
            int n = Math.min(total - offset, frameSamples - filled);
            System.arraycopy(s, offset * channels, pcm, filled * channels, n * channels);
            filled += n;
            offset += n;
            if (filled == frameSamples) {
                EncodedFrame f = encodeBuffered();
                if (f != null) {
                    if (out.isEmpty()) {
                        out = new ArrayList<>(2);
                    }
                    out.add(f);
                }
            }
        }
        return out;
    }

    private EncodedFrame encodeBuffered() {
        int len;
        try {
            len = encoder.encode(pcm, 0, frameSamples, packet, 0, packet.length);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus encoding failed: " + e.getMessage(), e);
        }
        long ticks = nextTicks;
        nextTicks = (nextTicks + frameSamples) & 0xFFFF_FFFFL;
        filled = 0;
        if (dtx && len <= 2) {
            suppressed++;
            return null;
        }
        return new EncodedFrame(Codec.OPUS, java.util.Arrays.copyOf(packet, len), ticks, true);
    }
}
