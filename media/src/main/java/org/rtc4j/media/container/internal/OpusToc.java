package org.rtc4j.media.container.internal;

/** The duration of an Opus packet from its TOC byte (RFC 6716 3.1) and frame count (3.2). */
public final class OpusToc {

    /** Samples at 48 kHz of one frame, by the TOC's configuration number (RFC 6716 table 2). */
    private static final int[] FRAME_SAMPLES = new int[32];

    static {
        int[] silk = {480, 960, 1920, 2880};
        int[] celt = {120, 240, 480, 960};
        for (int c = 0; c < 32; c++) {
            FRAME_SAMPLES[c] = c < 12 ? silk[c & 3] : c < 16 ? (c % 2 == 0 ? 480 : 960) : celt[c & 3];
        }
    }

    private OpusToc() {
    }

    /** The packet's samples per channel at 48 kHz, or -1 when it is no valid Opus packet (RFC 6716 3.4 [R1,R5]). */
    public static int samples(byte[] packet) {
        if (packet.length < 1) {
            return -1;
        }
        int toc = packet[0] & 0xFF;
        int frames = switch (toc & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> packet.length < 2 ? 0 : packet[1] & 0x3F;
        };
        int samples = frames * FRAME_SAMPLES[toc >>> 3];
        return frames == 0 || samples > 5760 ? -1 : samples;
    }

    /**
     * A packet that carries no audio and lasts 20 ms (one code-0 frame of length 0, which a decoder conceals:
     * RFC 6716 3.2.1), for filling a gap in a recording; {@code stereo} picks the TOC's s bit.
     */
    public static byte[] silence20ms(boolean stereo) {
        return new byte[] {(byte) ((31 << 3) | (stereo ? 4 : 0))};
    }
}
