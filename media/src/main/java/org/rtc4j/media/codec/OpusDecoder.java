package org.rtc4j.media.codec;

import org.rtc4j.codec.opus.internal.OpusException;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.codec.internal.RtpTime;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Opus decoding (RFC 6716) on module codec-opus (Concentus's decoder, unchanged), to 48 kHz mono or stereo (a
 * decoder outputs any channel count from any packet: RFC 6716 section 2.1.2). Loss is handled three ways, as libopus offers them:
 * <ul>
 *   <li>{@link #conceal()}: packet-loss concealment, audio extrapolated from what came before (RFC 6716 section
 *       4.4), for a packet that never came;</li>
 *   <li>{@link #decodeFec(EncodedFrame)}: the lost packet rebuilt from the low-rate copy the next packet carries
 *       when its encoder had in-band FEC on (RFC 6716 section 2.1.7), else concealment;</li>
 *   <li>DTX gaps (no packets during silence) are concealed the same way, which turns into comfort noise.</li>
 * </ul>
 * Output times: the RTP timestamps unwrapped, in microseconds since the first packet's.
 */
public final class OpusDecoder implements AudioDecoder {

    // RFC 6716 section 3.2.5: a packet holds at most 120 ms.
    private static final int MAX_FRAME = OpusEncoder.SAMPLE_RATE * 120 / 1000;

    private final org.rtc4j.codec.opus.internal.OpusDecoder decoder;
    private final int channels;
    private final short[] pcm;
    private final RtpTime clock = new RtpTime(OpusEncoder.SAMPLE_RATE);
    private int lastSamples = OpusEncoder.SAMPLE_RATE / 50;
    private long nextMicros;
    private long malformed;

    /** A decoder to 48 kHz audio of {@code channels} (1 or 2). */
    public OpusDecoder(int channels) {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("Opus decodes to 1 or 2 channels, not " + channels);
        }
        this.channels = channels;
        this.pcm = new short[MAX_FRAME * channels];
        try {
            decoder = new org.rtc4j.codec.opus.internal.OpusDecoder(OpusEncoder.SAMPLE_RATE, channels);
        } catch (OpusException e) {
            throw new IllegalStateException("the Opus decoder refused a valid configuration", e);
        }
    }

    @Override
    public Codec codec() {
        return Codec.OPUS;
    }

    /** Packets refused as malformed. */
    public long malformed() {
        return malformed;
    }

    @Override
    public AudioFrame decode(EncodedFrame frame) {
        check(frame);
        long micros = clock.micros(frame.timestamp());
        AudioFrame out = run(frame.data(), MAX_FRAME, false, micros);
        lastSamples = out.samplesPerChannel();
        return out;
    }

    @Override
    public AudioFrame conceal() {
        return run(null, lastSamples, false, nextMicros);
    }

    /**
     * The packet before {@code next}, lost, rebuilt from the in-band FEC data {@code next} carries (as long as the
     * last decoded packet); concealment when it carries none. Then decode {@code next} itself as usual.
     */
    public AudioFrame decodeFec(EncodedFrame next) {
        check(next);
        return run(next.data(), lastSamples, true, nextMicros);
    }

    private AudioFrame run(byte[] data, int maxSamples, boolean fec, long micros) {
        int n;
        try {
            n = data == null ? decoder.decode(null, 0, 0, pcm, 0, maxSamples, false)
                    : decoder.decode(data, 0, data.length, pcm, 0, maxSamples, fec);
        } catch (OpusException | RuntimeException e) {
            // Concentus reports most bad packets as OpusException; a hostile one may trip an index check inside.
            malformed++;
            throw new IllegalArgumentException("malformed Opus packet (" + (data == null ? 0 : data.length)
                    + " bytes): " + e.getMessage(), e);
        }
        nextMicros = micros + n * 1_000_000L / OpusEncoder.SAMPLE_RATE;
        return new AudioFrame(java.util.Arrays.copyOf(pcm, n * channels), OpusEncoder.SAMPLE_RATE, channels, micros);
    }

    private static void check(EncodedFrame frame) {
        if (frame.codec() != Codec.OPUS) {
            throw new IllegalArgumentException("not Opus: " + frame);
        }
        if (frame.data().length == 0) {
            throw new IllegalArgumentException("empty Opus packet");
        }
    }
}
