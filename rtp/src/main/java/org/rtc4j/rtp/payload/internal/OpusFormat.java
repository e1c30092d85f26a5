package org.rtc4j.rtp.payload.internal;

import static org.rtc4j.rtp.payload.internal.Payloads.u8;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;

/**
 * Opus, RFC 7587: the payload is one Opus packet as the encoder made it (section 4.2), timestamps in 48 kHz
 * ticks whatever the audio's rate. The depacketizer checks the packet against the rules of RFC 6716 section 3.4
 * so that a decoder only sees well-formed packets.
 *
 * <pre>
 *  TOC byte (RFC 6716 3.1)        code 3 frame count byte (3.2.5)
 *   0 1 2 3 4 5 6 7                0 1 2 3 4 5 6 7
 *  +-+-+-+-+-+-+-+-+              +-+-+-+-+-+-+-+-+
 *  | config  |s| c |              |v|p|     M     |
 *  +-+-+-+-+-+-+-+-+              +-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class OpusFormat {

    private static final int MAX_FRAME = 1275;
    private static final int[] SILK = {4, 8, 16, 24};
    private static final int[] HYBRID = {4, 8};
    private static final int[] CELT = {1, 2, 4, 8};

    private OpusFormat() {
    }

    /** Packetizer and depacketizer in one (the format has no state). */
    public static WholeFramePayload create() {
        return new WholeFramePayload(Codec.OPUS, OpusFormat::validate);
    }

    /** Frame duration of a TOC config, in units of 2.5 ms (RFC 6716 table 2). */
    private static int frameDurationIn2500us(int config) {
        if (config < 12) {
            return SILK[config & 3];                          // 10, 20, 40, 60 ms
        }
        if (config < 16) {
            return HYBRID[config & 1];                        // 10, 20 ms
        }
        return CELT[config & 3];                              // 2.5, 5, 10, 20 ms
    }

    /**
     * The duration of an Opus packet in 48 kHz ticks (RFC 6716 section 3.1 and 3.2: the TOC's frame size times its
     * frame count), or -1 when it is no valid packet (section 3.4, R1 and R5: empty, no frame, over 120 ms).
     */
    public static int ticks(byte[] packet) {
        if (packet.length < 1) {
            return -1;
        }
        int toc = packet[0] & 0xFF;
        int frames = switch (toc & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> packet.length < 2 ? 0 : packet[1] & 0x3F;
        };
        int ticks = frames * frameDurationIn2500us(toc >>> 3) * 120;
        return frames == 0 || ticks > 5760 ? -1 : ticks;
    }

    /** RFC 6716 section 3.4, requirements R1 to R7. */
    static void validate(ByteBuffer p) throws ParseException {
        int n = p.remaining();
        if (n < 1) {
            throw new ParseException("Opus: empty packet (R1)");
        }
        int toc = u8(p, 0);
        switch (toc & 3) {
            case 0 -> checkFrame(n - 1);
            case 1 -> {
                if ((n - 1) % 2 != 0) {
                    throw new ParseException("Opus code 1: odd payload length (R3)");
                }
                checkFrame((n - 1) / 2);
            }
            case 2 -> {
                int len1 = frameLength(p, 1, n);
                int at = 1 + lengthBytes(p, 1);
                if (len1 > n - at) {
                    throw new ParseException("Opus code 2: first frame longer than the packet (R4)");
                }
                checkFrame(n - at - len1);
            }
            default -> validateCode3(p, n, toc);
        }
    }

    private static void validateCode3(ByteBuffer p, int n, int toc) throws ParseException {
        if (n < 2) {
            throw new ParseException("Opus code 3: no frame count (R6)");
        }
        int fc = u8(p, 1);
        int m = fc & 0x3F;
        if (m == 0 || m * frameDurationIn2500us(toc >>> 3) > 48) {
            throw new ParseException("Opus code 3: " + m + " frames, none or above 120 ms (R5)");
        }
        int pos = 2;
        int padding = 0;
        if ((fc & 0x40) != 0) {
            int b;
            do {
                if (pos >= n) {
                    throw new ParseException("Opus code 3: truncated padding length");
                }
                b = u8(p, pos++);
                padding += b == 255 ? 254 : b;
            } while (b == 255);
        }
        int at = pos;
        int available = n - pos - padding;
        if (available < 0) {
            throw new ParseException("Opus code 3: padding longer than the packet");
        }
        if ((fc & 0x80) == 0) {                              // CBR (R6)
            if (available % m != 0) {
                throw new ParseException("Opus code 3 CBR: frames of unequal length");
            }
            checkFrame(available / m);
            return;
        }
        int sum = 0;                                          // VBR (R7)
        for (int i = 0; i < m - 1; i++) {
            sum += frameLength(p, at, n);
            at += lengthBytes(p, at);
        }
        int last = n - padding - at - sum;
        if (last < 0) {
            throw new ParseException("Opus code 3 VBR: frame lengths exceed the packet");
        }
        checkFrame(last);
    }

    /** The frame length at {@code at}, in one or two bytes (RFC 6716 section 3.2.1), at most 1275. */
    private static int frameLength(ByteBuffer p, int at, int n) throws ParseException {
        if (at >= n) {
            throw new ParseException("Opus: truncated frame length");
        }
        int b0 = u8(p, at);
        if (b0 < 252) {
            return b0;
        }
        if (at + 1 >= n) {
            throw new ParseException("Opus: truncated frame length");
        }
        return u8(p, at + 1) * 4 + b0;
    }

    /** How many bytes the frame length at {@code at} takes (after {@link #frameLength} has checked it). */
    private static int lengthBytes(ByteBuffer p, int at) {
        return u8(p, at) < 252 ? 1 : 2;
    }

    private static void checkFrame(int length) throws ParseException {
        if (length > MAX_FRAME) {
            throw new ParseException("Opus: frame of " + length + " bytes (R2)");
        }
    }
}
