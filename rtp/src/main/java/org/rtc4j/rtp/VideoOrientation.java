package org.rtc4j.rtp;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;

/**
 * Coordination of video orientation (3GPP TS 26.114 section 7.4.5, urn:3gpp:video-orientation): how the receiver
 * should rotate the picture.
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * |0 0 0 0 C F R R|  C camera (1 back), F horizontal flip, RR rotation in 90 degree steps
 * +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param backCamera C
 * @param flip       F
 * @param rotation   0, 90, 180 or 270 degrees clockwise
 */
public record VideoOrientation(boolean backCamera, boolean flip, int rotation) {

    public static final String URI = "urn:3gpp:video-orientation";

    public VideoOrientation {
        if (rotation % 90 != 0 || rotation < 0 || rotation > 270) {
            throw new IllegalArgumentException("rotation " + rotation);
        }
    }

    public static VideoOrientation read(ByteBuffer buf, int offset, int length) throws ParseException {
        if (length < 1) {
            throw new ParseException("empty video orientation element");
        }
        int b = buf.get(offset);
        return new VideoOrientation((b & 0x08) != 0, (b & 0x04) != 0, (b & 0x03) * 90);
    }

    public void write(RtpHeaderWriter writer, int id) {
        byte[] d = writer.addExtension(id, 1);
        d[writer.elementOffset()] = (byte) ((backCamera ? 0x08 : 0) | (flip ? 0x04 : 0) | rotation / 90);
    }
}
