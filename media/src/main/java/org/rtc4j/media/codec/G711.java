package org.rtc4j.media.codec;

import org.rtc4j.media.AudioFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * G.711 (ITU-T Recommendation G.711, 11/1988) µ-law ({@link Codec#PCMU}) and A-law ({@link Codec#PCMA}): one byte
 * per sample, 8 kHz mono, no state. µ-law works on 14-bit and A-law on 13-bit magnitudes (G.711 tables 2a and
 * 1a); 16-bit input is shifted down, so the lowest 2 or 3 bits do not matter. Encoding by segment search and
 * decoding to the middle of each quantisation interval, as the tables give them; the even bits of A-law are
 * inverted (G.711 section 3.2) and all bits of µ-law (section 3.4).
 */
public final class G711 {

    /** The only sample rate G.711 has (RFC 3551 section 4.5.14). */
    public static final int SAMPLE_RATE = 8_000;

    // Upper ends of the 8 segments: 14-bit biased magnitude for µ-law, 13-bit magnitude for A-law.
    private static final int[] MU_SEGMENT_END = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
    private static final int[] A_SEGMENT_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
    private static final int MU_BIAS = 0x21;     // 33, the µ-law bias on 14-bit values
    private static final int MU_CLIP = 8159;     // largest 14-bit magnitude before bias
    private static final short[] MU_DECODE = new short[256];
    private static final short[] A_DECODE = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            MU_DECODE[i] = muLawDecodeSlow((byte) i);
            A_DECODE[i] = aLawDecodeSlow((byte) i);
        }
    }

    private G711() {
    }

    /** The µ-law code of a 16-bit sample. */
    public static byte muLawEncode(short sample) {
        // Negative samples by their ones' complement, as ITU-T G.191's reference (ulaw_compress) does, so that
        // -1 .. -4 code as negative zero like 0 .. 3 as positive zero.
        int mask = sample < 0 ? 0x7F : 0xFF;
        int v = (sample < 0 ? ~sample : sample) >> 2;
        v = Math.min(v, MU_CLIP) + MU_BIAS;
        int seg = segment(v, MU_SEGMENT_END);
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        return (byte) (((seg << 4) | ((v >> (seg + 1)) & 0x0F)) ^ mask);
    }

    /** The 16-bit sample a µ-law code stands for. */
    public static short muLawDecode(byte code) {
        return MU_DECODE[code & 0xFF];
    }

    private static short muLawDecodeSlow(byte code) {
        int u = ~code & 0xFF;
        int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    /** The A-law code of a 16-bit sample. */
    public static byte aLawEncode(short sample) {
        int v = sample >> 3;
        int mask;
        if (v >= 0) {
            mask = 0xD5;   // sign bit 1 for positive, even bits inverted
        } else {
            mask = 0x55;
            v = -v - 1;
        }
        int seg = segment(v, A_SEGMENT_END);
        if (seg >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int code = seg << 4 | (seg < 2 ? (v >> 1) & 0x0F : (v >> seg) & 0x0F);
        return (byte) (code ^ mask);
    }

    /** The 16-bit sample an A-law code stands for. */
    public static short aLawDecode(byte code) {
        return A_DECODE[code & 0xFF];
    }

    private static short aLawDecodeSlow(byte code) {
        int a = (code ^ 0x55) & 0xFF;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        t = switch (seg) {
            case 0 -> t + 8;
            case 1 -> t + 0x108;
            default -> (t + 0x108) << (seg - 1);
        };
        return (short) ((a & 0x80) != 0 ? t : -t);
    }

    private static int segment(int v, int[] ends) {
        for (int i = 0; i < ends.length; i++) {
            if (v <= ends[i]) {
                return i;
            }
        }
        return ends.length;
    }

    /**
     * One RTP frame of G.711 from 8 kHz mono audio; the RTP timestamp is the frame's time in 8 kHz ticks.
     *
     * @throws IllegalArgumentException for audio that is not 8 kHz mono (resample it first) or a codec other
     *                                  than PCMU and PCMA
     */
    public static EncodedFrame encode(AudioFrame frame, Codec codec) {
        check(codec);
        if (frame.sampleRate() != SAMPLE_RATE || frame.channels() != 1) {
            throw new IllegalArgumentException("G.711 takes 8 kHz mono, not " + frame);
        }
        short[] s = frame.samples();
        byte[] out = new byte[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = codec == Codec.PCMU ? muLawEncode(s[i]) : aLawEncode(s[i]);
        }
        long ts = Math.floorMod(frame.timestampMicros() * SAMPLE_RATE / 1_000_000, 1L << 32);
        return new EncodedFrame(codec, out, ts, true);
    }

    /** 8 kHz mono audio of a G.711 frame, at {@code timestampMicros}. */
    public static AudioFrame decode(EncodedFrame frame, long timestampMicros) {
        check(frame.codec());
        byte[] d = frame.data();
        short[] out = new short[d.length];
        short[] table = frame.codec() == Codec.PCMU ? MU_DECODE : A_DECODE;
        for (int i = 0; i < d.length; i++) {
            out[i] = table[d[i] & 0xFF];
        }
        return new AudioFrame(out, SAMPLE_RATE, 1, timestampMicros);
    }

    private static void check(Codec codec) {
        if (codec != Codec.PCMU && codec != Codec.PCMA) {
            throw new IllegalArgumentException("not G.711: " + codec);
        }
    }
}
