package org.rtc4j.rtp;

import java.util.Objects;

/**
 * One encoded audio or video frame: what an encoder or a file source produces, what a packetizer cuts into RTP
 * packets, what a depacketizer and jitter buffer rebuild, and what a recorder or decoder takes. The unit the
 * media module and the RTP session exchange.
 *
 * <p>Immutable by contract: the frame owns {@code data}, and nobody writes to it after construction (it is not
 * copied, so that passing a frame through costs nothing).
 *
 * @param codec         what the bytes are
 * @param data          the codec's bitstream for this frame: an Opus packet, a VP8/VP9 frame, an AV1 temporal
 *                      unit in low-overhead OBU format, H.264/H.265 access units in Annex B form (start codes)
 * @param timestamp     the RTP timestamp, in the codec's clock rate, modulo 2^32
 * @param keyFrame      a video frame that decodes without earlier frames (always true for audio)
 * @param temporalLayer the temporal layer of a scalable video frame, 0 when there are no layers
 * @param spatialLayer  the spatial layer of a scalable video frame, 0 when there are no layers
 */
public record EncodedFrame(Codec codec, byte[] data, long timestamp, boolean keyFrame, int temporalLayer,
                           int spatialLayer) {

    public EncodedFrame {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(data, "data");
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("timestamp out of 32 bits: " + timestamp);
        }
        if (temporalLayer < 0 || spatialLayer < 0) {
            throw new IllegalArgumentException("negative layer");
        }
    }

    /** A frame with no layers. */
    public EncodedFrame(Codec codec, byte[] data, long timestamp, boolean keyFrame) {
        this(codec, data, timestamp, keyFrame, 0, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedFrame f && codec == f.codec && timestamp == f.timestamp && keyFrame == f.keyFrame
                && temporalLayer == f.temporalLayer && spatialLayer == f.spatialLayer
                && java.util.Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(codec, timestamp, keyFrame, temporalLayer, spatialLayer, java.util.Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return codec + " frame ts=" + timestamp + (keyFrame ? " key" : "") + " " + data.length + " bytes"
                + (temporalLayer + spatialLayer > 0 ? " T" + temporalLayer + "S" + spatialLayer : "");
    }
}
