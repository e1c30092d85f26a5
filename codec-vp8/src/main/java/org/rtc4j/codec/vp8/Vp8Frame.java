package org.rtc4j.codec.vp8;

import java.nio.ByteBuffer;

/**
 * A decoded picture in I420: a luma plane of width x height and two chroma planes of
 * ceil(width / 2) x ceil(height / 2), each row of a plane starting stride bytes after the last.
 * Immutable: the planes are read through read-only buffers.
 */
public final class Vp8Frame {

    private final int width;
    private final int height;
    private final byte[] y;
    private final byte[] u;
    private final byte[] v;
    private final int yStride;
    private final int uvStride;

    /** Takes ownership of the planes, which the caller must not change afterwards. */
    public Vp8Frame(int width, int height, byte[] y, int yStride, byte[] u, byte[] v, int uvStride) {
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        if (width < 1 || height < 1 || yStride < width || uvStride < cw
                || y.length < (long) yStride * (height - 1) + width
                || u.length < (long) uvStride * (ch - 1) + cw || v.length < (long) uvStride * (ch - 1) + cw) {
            throw new IllegalArgumentException("planes too small for " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.y = y;
        this.u = u;
        this.v = v;
        this.yStride = yStride;
        this.uvStride = uvStride;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int chromaWidth() {
        return (width + 1) / 2;
    }

    public int chromaHeight() {
        return (height + 1) / 2;
    }

    public int yStride() {
        return yStride;
    }

    public int uvStride() {
        return uvStride;
    }

    public ByteBuffer y() {
        return ByteBuffer.wrap(y).asReadOnlyBuffer();
    }

    public ByteBuffer u() {
        return ByteBuffer.wrap(u).asReadOnlyBuffer();
    }

    public ByteBuffer v() {
        return ByteBuffer.wrap(v).asReadOnlyBuffer();
    }

    // The planes themselves, for the encoder in this package (which only reads them).
    byte[] yPlane() {
        return y;
    }

    byte[] uPlane() {
        return u;
    }

    byte[] vPlane() {
        return v;
    }

    /** The frame as packed I420 (planes one after another, no padding), as ffmpeg's rawvideo. */
    public byte[] toI420() {
        int cw = chromaWidth();
        int ch = chromaHeight();
        byte[] out = new byte[width * height + 2 * cw * ch];
        int o = 0;
        for (int r = 0; r < height; r++, o += width) {
            System.arraycopy(y, r * yStride, out, o, width);
        }
        for (int r = 0; r < ch; r++, o += cw) {
            System.arraycopy(u, r * uvStride, out, o, cw);
        }
        for (int r = 0; r < ch; r++, o += cw) {
            System.arraycopy(v, r * uvStride, out, o, cw);
        }
        return out;
    }
}
