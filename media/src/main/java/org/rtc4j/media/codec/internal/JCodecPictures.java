package org.rtc4j.media.codec.internal;

import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;
import org.rtc4j.media.VideoFrame;

/**
 * Moves pictures between rtc4j's {@link VideoFrame} (I420, unsigned samples) and JCodec's {@link Picture}
 * (planar 4:2:0, samples stored as {@code value - 128} in signed bytes, planes padded to whole 16x16 macroblocks).
 */
public final class JCodecPictures {

    private JCodecPictures() {
    }

    /** A picture to fill with {@link #fill}: padded to macroblocks, cropped to {@code width x height}. */
    public static Picture padded(int width, int height) {
        int w = (width + 15) & ~15;
        int h = (height + 15) & ~15;
        return Picture.createCropped(w, h, ColorSpace.YUV420J, new Rect(0, 0, width, height));
    }

    /** Copies {@code frame} into {@code pic} (from {@link #padded}), repeating the edge samples into the padding. */
    public static void fill(VideoFrame frame, Picture pic) {
        plane(frame.dataY(), frame.strideY(), frame.width(), frame.height(), pic.getPlaneData(0), pic.getPlaneWidth(0),
                pic.getPlaneHeight(0));
        plane(frame.dataU(), frame.strideU(), frame.chromaWidth(), frame.chromaHeight(), pic.getPlaneData(1),
                pic.getPlaneWidth(1), pic.getPlaneHeight(1));
        plane(frame.dataV(), frame.strideV(), frame.chromaWidth(), frame.chromaHeight(), pic.getPlaneData(2),
                pic.getPlaneWidth(2), pic.getPlaneHeight(2));
    }

    private static void plane(byte[] src, int stride, int w, int h, byte[] dst, int dw, int dh) {
        for (int y = 0; y < dh; y++) {
            int s = Math.min(y, h - 1) * stride;
            int d = y * dw;
            for (int x = 0; x < w; x++) {
                dst[d + x] = (byte) (src[s + x] ^ 0x80);
            }
            byte edge = dst[d + w - 1];
            for (int x = w; x < dw; x++) {
                dst[d + x] = edge;
            }
        }
    }

    /**
     * The visible {@code width x height} of a decoded picture (planes {@code planeWidth} wide) from luma sample
     * ({@code left}, {@code top}), both even, as I420.
     */
    public static VideoFrame toFrame(byte[][] planes, int planeWidth, int left, int top, int width, int height,
                                     long timestampMicros) {
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        byte[] y = crop(planes[0], planeWidth, top * planeWidth + left, width, height);
        byte[] u = crop(planes[1], planeWidth / 2, (top / 2) * (planeWidth / 2) + left / 2, cw, ch);
        byte[] v = crop(planes[2], planeWidth / 2, (top / 2) * (planeWidth / 2) + left / 2, cw, ch);
        return new VideoFrame(width, height, y, u, v, timestampMicros);
    }

    private static byte[] crop(byte[] src, int stride, int origin, int w, int h) {
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            int s = origin + y * stride;
            int d = y * w;
            for (int x = 0; x < w; x++) {
                out[d + x] = (byte) (src[s + x] ^ 0x80);
            }
        }
        return out;
    }
}
