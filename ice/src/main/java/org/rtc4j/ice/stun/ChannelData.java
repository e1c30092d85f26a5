package org.rtc4j.ice.stun;

import java.nio.ByteBuffer;

/**
 * TURN ChannelData (RFC 8656 section 12.4), and how it is told apart from STUN on the same transport: by the
 * first two bits, 00 for STUN (RFC 8489 section 5) and 01 for ChannelData (RFC 7983 section 7). Over a
 * stream each frame's length comes from its header, and ChannelData is padded to a multiple of four
 * (RFC 8656 section 12.5). One home for the split, for the TURN client and server alike.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Channel Number        |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                       Application Data                        /
 * +-------------------------------+-------------------------------+
 * </pre>
 */
public final class ChannelData {

    public static final int HEADER_LENGTH = 4;
    /** RFC 8656 section 12: the channel numbers a client may bind. */
    public static final int MIN_CHANNEL = 0x4000;
    public static final int MAX_CHANNEL = 0x4FFF;

    private ChannelData() {
    }

    /** Whether the bytes from the buffer's position are ChannelData (at least a header, first bits 01). */
    public static boolean is(ByteBuffer data) {
        return data.remaining() >= HEADER_LENGTH && (data.get(data.position()) & 0xC0) == 0x40;
    }

    /** The channel number of the ChannelData at the buffer's position. */
    public static int channel(ByteBuffer data) {
        return data.getShort(data.position()) & 0xFFFF;
    }

    /** The length field (of the application data, without padding) of the ChannelData at the position. */
    public static int length(ByteBuffer data) {
        return data.getShort(data.position() + 2) & 0xFFFF;
    }

    /**
     * The application data of the ChannelData at the buffer's position, as a view, or null when the length
     * field runs past the end (trailing bytes, padding included, are ignored).
     */
    public static ByteBuffer payload(ByteBuffer data) {
        int length = length(data);
        return length > data.remaining() - HEADER_LENGTH ? null
                : data.slice(data.position() + HEADER_LENGTH, length);
    }

    /**
     * The length of the frame on a stream (RFC 8489 section 6.2.2, RFC 8656 section 12.5) that starts with
     * {@code firstByte} and has {@code lengthField} in bytes 2-3: a STUN message (header and attributes) or
     * ChannelData padded to four; -1 when the bytes are neither, and the stream cannot be resynchronised.
     */
    public static int streamFrameLength(int firstByte, int lengthField) {
        return switch ((firstByte & 0xFF) >>> 6) {
            case 0 -> StunMessage.HEADER_LENGTH + lengthField;
            case 1 -> HEADER_LENGTH + ((lengthField + 3) & ~3);
            default -> -1;
        };
    }

    /** {@link #streamFrameLength} without the padding of ChannelData: what the frame's parser gets. */
    public static int frameLength(int firstByte, int lengthField) {
        return switch ((firstByte & 0xFF) >>> 6) {
            case 0 -> StunMessage.HEADER_LENGTH + lengthField;
            case 1 -> HEADER_LENGTH + lengthField;
            default -> -1;
        };
    }

    /** ChannelData carrying {@code data} on {@code channel}, padded to four when it goes over a stream. */
    public static ByteBuffer encode(int channel, ByteBuffer data, boolean stream) {
        int length = data.remaining();
        int total = HEADER_LENGTH + length;
        ByteBuffer out = ByteBuffer.allocate(stream ? (total + 3) & ~3 : total);
        out.putShort((short) channel).putShort((short) length).put(data.duplicate());
        return out.position(out.capacity()).flip();
    }
}
