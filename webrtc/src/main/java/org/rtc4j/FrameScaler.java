package org.rtc4j;

import org.rtc4j.media.VideoFrame;

/**
 * Scales a picture down for an encoding's scaleResolutionDownBy (W3C section 5.2, RTCRtpEncodingParameters): each
 * dimension divided by the factor, rounded down to even (H.264 and VP8 code 4:2:0 pictures in whole chroma
 * samples), never under 2; each output sample the average of the source samples its area covers (a box filter,
 * which does not alias when shrinking as point sampling would).
 */
final class FrameScaler {

    private FrameScaler() {
    }

    /** The size a {@code width} x {@code height} picture has when scaled down by {@code factor} (at least 1). */
    static int scaled(int size, double factor) {
        return Math.max(2, ((int) (size / factor)) & ~1);
    }

    /** The picture scaled down by {@code factor}; the same picture when that leaves its size as it is. */
    static VideoFrame scale(VideoFrame f, double factor) {
        int w = scaled(f.width(), factor);
        int h = scaled(f.height(), factor);
        if (factor <= 1 || (w == f.width() && h == f.height()) || w > f.width() || h > f.height()) {
            return f;
        }
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        byte[] y = plane(f.dataY(), f.strideY(), f.width(), f.height(), w, h);
        byte[] u = plane(f.dataU(), f.strideU(), f.chromaWidth(), f.chromaHeight(), cw, ch);
        byte[] v = plane(f.dataV(), f.strideV(), f.chromaWidth(), f.chromaHeight(), cw, ch);
        return new VideoFrame(w, h, y, w, u, cw, v, cw, f.timestampMicros(), f.rotation());
    }

    /** One plane of {@code sw} x {@code sh} averaged into {@code dw} x {@code dh} (each at most the source's). */
    private static byte[] plane(byte[] src, int stride, int sw, int sh, int dw, int dh) {
        byte[] out = new byte[dw * dh];
        for (int oy = 0; oy < dh; oy++) {
            int y0 = (int) ((long) oy * sh / dh);
            int y1 = Math.max(y0 + 1, (int) ((long) (oy + 1) * sh / dh));
            for (int ox = 0; ox < dw; ox++) {
                int x0 = (int) ((long) ox * sw / dw);
                int x1 = Math.max(x0 + 1, (int) ((long) (ox + 1) * sw / dw));
                int sum = 0;
                for (int sy = y0; sy < y1; sy++) {
                    int row = sy * stride;
                    for (int sx = x0; sx < x1; sx++) {
                        sum += src[row + sx] & 0xFF;
                    }
                }
                int n = (y1 - y0) * (x1 - x0);
                out[oy * dw + ox] = (byte) ((sum + n / 2) / n);
            }
        }
        return out;
    }
}
