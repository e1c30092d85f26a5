package org.rtc4j.media;

import java.util.Objects;

/**
 * One raw video picture in I420 (planar YUV 4:2:0, 8 bits: a full-size luma plane, then Cb and Cr planes of
 * half the width and height, rounded up), as cameras, decoders and file readers produce it and encoders, sinks
 * and file writers take it.
 *
 * <p>Ownership: the frame owns its three plane arrays. They are not copied on construction or on access, so
 * that handing a frame along costs nothing; whoever builds a frame gives the arrays up, and nobody writes to
 * them afterwards. A producer that reuses buffers must copy ({@link #copy()}) before handing a frame out.
 *
 * <p>Sample (x, y) of a plane is at {@code plane[y * stride + x]}; a stride may exceed the plane's width
 * (padding), never fall short of it.
 *
 * @param width           luma width in pixels, 1 to {@value #MAX_DIMENSION}
 * @param height          luma height in pixels, 1 to {@value #MAX_DIMENSION}
 * @param dataY           luma plane
 * @param strideY         bytes from one luma row to the next
 * @param dataU           Cb plane, {@link #chromaWidth()} by {@link #chromaHeight()}
 * @param strideU         bytes from one Cb row to the next
 * @param dataV           Cr plane
 * @param strideV         bytes from one Cr row to the next
 * @param timestampMicros presentation time in microseconds, on the producer's clock
 * @param rotation        clockwise rotation, in degrees, to apply before display: 0, 90, 180 or 270
 */
public record VideoFrame(int width, int height, byte[] dataY, int strideY, byte[] dataU, int strideU,
                         byte[] dataV, int strideV, long timestampMicros, int rotation) implements MediaFrame {

    /** The largest width or height accepted; a file or the network claiming more is refused. */
    public static final int MAX_DIMENSION = 16_384;

    public VideoFrame {
        if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new IllegalArgumentException("bad size " + width + "x" + height);
        }
        if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270: " + rotation);
        }
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        checkPlane("Y", dataY, strideY, width, height);
        checkPlane("U", dataU, strideU, cw, ch);
        checkPlane("V", dataV, strideV, cw, ch);
    }

    private static void checkPlane(String name, byte[] plane, int stride, int w, int h) {
        Objects.requireNonNull(plane, name);
        if (stride < w) {
            throw new IllegalArgumentException(name + " stride " + stride + " < width " + w);
        }
        long needed = (long) stride * (h - 1) + w;
        if (plane.length < needed) {
            throw new IllegalArgumentException(name + " plane has " + plane.length + " bytes, needs " + needed);
        }
    }

    /** A frame of tightly packed planes (strides equal to the widths), not rotated. */
    public VideoFrame(int width, int height, byte[] dataY, byte[] dataU, byte[] dataV, long timestampMicros) {
        this(width, height, dataY, width, dataU, (width + 1) / 2, dataV, (width + 1) / 2, timestampMicros, 0);
    }

    /** Width of the chroma planes: half the luma width, rounded up. */
    public int chromaWidth() {
        return (width + 1) / 2;
    }

    /** Height of the chroma planes: half the luma height, rounded up. */
    public int chromaHeight() {
        return (height + 1) / 2;
    }

    /** Bytes of one tightly packed I420 picture of this size, as Y4M and raw {@code yuv420p} files hold it. */
    public int packedSize() {
        return packedSize(width, height);
    }

    /** Bytes of one tightly packed I420 picture of the given size. */
    public static int packedSize(int width, int height) {
        return width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2);
    }

    /** A black picture (Y 16, Cb and Cr 128: BT.601 limited-range black), as disabled tracks send. */
    public static VideoFrame black(int width, int height, long timestampMicros) {
        return filled(width, height, (byte) 16, (byte) 128, (byte) 128, timestampMicros);
    }

    /** A picture of one colour. */
    public static VideoFrame filled(int width, int height, byte y, byte u, byte v, long timestampMicros) {
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        byte[] py = new byte[width * height];
        byte[] pu = new byte[cw * ch];
        byte[] pv = new byte[cw * ch];
        java.util.Arrays.fill(py, y);
        java.util.Arrays.fill(pu, u);
        java.util.Arrays.fill(pv, v);
        return new VideoFrame(width, height, py, pu, pv, timestampMicros);
    }

    /**
     * A frame over one tightly packed I420 picture (Y, then U, then V), as read from Y4M or raw files.
     * The planes are copied out of {@code packed}, from {@code offset}.
     */
    public static VideoFrame fromPacked(int width, int height, byte[] packed, int offset, long timestampMicros) {
        if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new IllegalArgumentException("bad size " + width + "x" + height);
        }
        int ySize = width * height;
        int cSize = ((width + 1) / 2) * ((height + 1) / 2);
        Objects.checkFromIndexSize(offset, ySize + 2 * cSize, packed.length);
        byte[] y = java.util.Arrays.copyOfRange(packed, offset, offset + ySize);
        byte[] u = java.util.Arrays.copyOfRange(packed, offset + ySize, offset + ySize + cSize);
        byte[] v = java.util.Arrays.copyOfRange(packed, offset + ySize + cSize, offset + ySize + 2 * cSize);
        return new VideoFrame(width, height, y, u, v, timestampMicros);
    }

    /** Writes this picture tightly packed (Y, U, V, no padding) into {@code out} from {@code offset}. */
    public void writePacked(byte[] out, int offset) {
        Objects.checkFromIndexSize(offset, packedSize(), out.length);
        int o = copyPlane(dataY, strideY, width, height, out, offset);
        o = copyPlane(dataU, strideU, chromaWidth(), chromaHeight(), out, o);
        copyPlane(dataV, strideV, chromaWidth(), chromaHeight(), out, o);
    }

    /** This picture tightly packed (Y, U, V, no padding), in a new array. */
    public byte[] toPacked() {
        byte[] out = new byte[packedSize()];
        writePacked(out, 0);
        return out;
    }

    private static int copyPlane(byte[] src, int stride, int w, int h, byte[] out, int o) {
        for (int row = 0; row < h; row++) {
            System.arraycopy(src, row * stride, out, o, w);
            o += w;
        }
        return o;
    }

    /** A deep copy with tightly packed planes, owning new arrays. */
    public VideoFrame copy() {
        return fromPacked(width, height, toPacked(), 0, timestampMicros).withRotation(rotation);
    }

    /** The same picture (sharing the planes) at another time. */
    public VideoFrame withTimestamp(long micros) {
        return new VideoFrame(width, height, dataY, strideY, dataU, strideU, dataV, strideV, micros, rotation);
    }

    /** The same picture (sharing the planes) with another rotation. */
    public VideoFrame withRotation(int degrees) {
        return new VideoFrame(width, height, dataY, strideY, dataU, strideU, dataV, strideV, timestampMicros,
                degrees);
    }

    /** Luma of pixel (x, y), 0 to 255. */
    public int lumaAt(int x, int y) {
        Objects.checkIndex(x, width);
        Objects.checkIndex(y, height);
        return dataY[y * strideY + x] & 0xFF;
    }

    /** Equal when size, rotation, time and every visible sample match (padding is ignored). */
    @Override
    public boolean equals(Object o) {
        return o instanceof VideoFrame f && width == f.width && height == f.height && rotation == f.rotation
                && timestampMicros == f.timestampMicros && java.util.Arrays.equals(toPacked(), f.toPacked());
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, rotation, timestampMicros, java.util.Arrays.hashCode(toPacked()));
    }

    @Override
    public String toString() {
        return "I420 " + width + "x" + height + " t=" + timestampMicros + "us"
                + (rotation != 0 ? " rot " + rotation : "");
    }
}
