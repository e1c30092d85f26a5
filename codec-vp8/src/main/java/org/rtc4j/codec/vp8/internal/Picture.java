package org.rtc4j.codec.vp8.internal;

import java.util.Arrays;
import org.rtc4j.codec.vp8.Vp8Frame;

/**
 * One decoded frame in I420 covering whole macroblocks, with a border around each plane that
 * repeats the edge pixels so that most motion vectors pointing outside need no special case
 * (RFC 6386 section 18: the reference frame extends beyond its edges by replication).
 */
final class Picture {

    static final int BORDER = 48;
    static final int UV_BORDER = BORDER / 2;

    /** Size in pixels of the luma plane, whole macroblocks. */
    final int width;
    final int height;
    final int yStride;
    final int uvStride;
    final byte[] y;
    final byte[] u;
    final byte[] v;
    /** Offset of pixel (0, 0) in each plane. */
    final int yOrigin;
    final int uvOrigin;

    Picture(int mbCols, int mbRows) {
        width = mbCols * 16;
        height = mbRows * 16;
        yStride = width + 2 * BORDER;
        uvStride = width / 2 + 2 * UV_BORDER;
        y = new byte[yStride * (height + 2 * BORDER)];
        u = new byte[uvStride * (height / 2 + 2 * UV_BORDER)];
        v = new byte[u.length];
        yOrigin = BORDER * yStride + BORDER;
        uvOrigin = UV_BORDER * uvStride + UV_BORDER;
    }

    /** Fills the borders by repeating the edge pixels. */
    void extendBorders() {
        extend(y, yOrigin, yStride, width, height, BORDER);
        extend(u, uvOrigin, uvStride, width / 2, height / 2, UV_BORDER);
        extend(v, uvOrigin, uvStride, width / 2, height / 2, UV_BORDER);
    }

    private static void extend(byte[] p, int origin, int stride, int w, int h, int border) {
        for (int r = 0; r < h; r++) {
            int row = origin + r * stride;
            Arrays.fill(p, row - border, row, p[row]);
            Arrays.fill(p, row + w, row + w + border, p[row + w - 1]);
        }
        int first = origin - border;
        int last = origin + (h - 1) * stride - border;
        for (int r = 1; r <= border; r++) {
            System.arraycopy(p, first, p, first - r * stride, stride);
            System.arraycopy(p, last, p, last + r * stride, stride);
        }
    }

    /** A copy of the top-left w x h pixels as a frame. */
    Vp8Frame copyOut(int w, int h) {
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        byte[] oy = new byte[w * h];
        byte[] ou = new byte[cw * ch];
        byte[] ov = new byte[cw * ch];
        for (int r = 0; r < h; r++) {
            System.arraycopy(y, yOrigin + r * yStride, oy, r * w, w);
        }
        for (int r = 0; r < ch; r++) {
            System.arraycopy(u, uvOrigin + r * uvStride, ou, r * cw, cw);
            System.arraycopy(v, uvOrigin + r * uvStride, ov, r * cw, cw);
        }
        return new Vp8Frame(w, h, oy, w, ou, ov, cw);
    }
}
