package org.rtc4j.media;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.rtc4j.media.internal.Yuv;

/**
 * PNG pictures of video frames through {@code javax.imageio}, converted from I420 with the BT.601
 * limited-range matrix and turned upright by the frame's rotation. Also a sink keeping a track's latest picture
 * for a snapshot at any moment ({@link #sink()}).
 */
public final class PngSnapshot implements MediaSink {

    private volatile VideoFrame latest;

    private PngSnapshot() {
    }

    /** A sink remembering the latest picture it received. */
    public static PngSnapshot sink() {
        return new PngSnapshot();
    }

    @Override
    public void onVideoFrame(VideoFrame frame) {
        latest = frame;
    }

    /** The latest picture received, or {@code null} before the first. */
    public VideoFrame latest() {
        return latest;
    }

    /** Writes the latest picture as PNG to {@code file}; false if none has come yet. */
    public boolean writeLatest(Path file) throws IOException {
        VideoFrame f = latest;
        if (f == null) {
            return false;
        }
        Files.write(file, png(f));
        return true;
    }

    /** The frame as an RGB image, rotation applied. */
    public static BufferedImage toImage(VideoFrame f) {
        int[] rgb = Yuv.toRgb(f);
        int w = f.width();
        int h = f.height();
        boolean swap = f.rotation() == 90 || f.rotation() == 270;
        BufferedImage img = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb[y * w + x];
                switch (f.rotation()) {
                    case 90 -> img.setRGB(h - 1 - y, x, p);
                    case 180 -> img.setRGB(w - 1 - x, h - 1 - y, p);
                    case 270 -> img.setRGB(y, w - 1 - x, p);
                    default -> img.setRGB(x, y, p);
                }
            }
        }
        return img;
    }

    /** An I420 frame of an image (any type ImageIO reads), at {@code timestampMicros}. */
    public static VideoFrame fromImage(BufferedImage img, long timestampMicros) {
        int w = img.getWidth();
        int h = img.getHeight();
        return Yuv.fromRgb(img.getRGB(0, 0, w, h, null, 0, w), w, h, timestampMicros);
    }

    /** The frame as PNG bytes. */
    public static byte[] png(VideoFrame f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(toImage(f), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a memory stream does not fail
        }
        return out.toByteArray();
    }

    /** Reads a PNG (or any image ImageIO knows) into an I420 frame at time 0. */
    public static VideoFrame read(byte[] image) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(image));
        if (img == null) {
            throw new IOException("not an image ImageIO can read");
        }
        return fromImage(img, 0);
    }
}
