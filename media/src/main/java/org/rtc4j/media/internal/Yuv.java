package org.rtc4j.media.internal;

import org.rtc4j.media.VideoFrame;

/**
 * RGB to and from I420 with the BT.601 limited-range matrix (what browsers and codecs assume for camera video),
 * in 8-bit fixed point as libyuv does it: Y = (66 R + 129 G + 25 B + 128) / 256 + 16, and so on.
 */
public final class Yuv {

    private Yuv() {
    }

    /** A frame from packed 0xRRGGBB pixels, row after row; chroma from the average of each 2x2 block. */
    public static VideoFrame fromRgb(int[] rgb, int width, int height, long timestampMicros) {
        if (rgb.length < width * height) {
            throw new IllegalArgumentException("not enough pixels");
        }
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        byte[] y = new byte[width * height];
        byte[] u = new byte[cw * ch];
        byte[] v = new byte[cw * ch];
        for (int i = 0; i < width * height; i++) {
            int p = rgb[i];
            int r = p >> 16 & 0xFF;
            int g = p >> 8 & 0xFF;
            int b = p & 0xFF;
            y[i] = (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
        }
        for (int cy = 0; cy < ch; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int r = 0;
                int g = 0;
                int b = 0;
                int n = 0;
                for (int dy = 0; dy < 2 && 2 * cy + dy < height; dy++) {
                    for (int dx = 0; dx < 2 && 2 * cx + dx < width; dx++) {
                        int p = rgb[(2 * cy + dy) * width + 2 * cx + dx];
                        r += p >> 16 & 0xFF;
                        g += p >> 8 & 0xFF;
                        b += p & 0xFF;
                        n++;
                    }
                }
                r /= n;
                g /= n;
                b /= n;
                u[cy * cw + cx] = (byte) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
                v[cy * cw + cx] = (byte) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
            }
        }
        return new VideoFrame(width, height, y, u, v, timestampMicros);
    }

    /** Packed 0xRRGGBB pixels of a frame, row after row (rotation not applied). */
    public static int[] toRgb(VideoFrame f) {
        int w = f.width();
        int h = f.height();
        int[] out = new int[w * h];
        byte[] py = f.dataY();
        byte[] pu = f.dataU();
        byte[] pv = f.dataV();
        for (int row = 0; row < h; row++) {
            for (int x = 0; x < w; x++) {
                int c = 298 * ((py[row * f.strideY() + x] & 0xFF) - 16);
                int d = (pu[(row / 2) * f.strideU() + x / 2] & 0xFF) - 128;
                int e = (pv[(row / 2) * f.strideV() + x / 2] & 0xFF) - 128;
                int r = clamp((c + 409 * e + 128) >> 8);
                int g = clamp((c - 100 * d - 208 * e + 128) >> 8);
                int b = clamp((c + 516 * d + 128) >> 8);
                out[row * w + x] = r << 16 | g << 8 | b;
            }
        }
        return out;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
