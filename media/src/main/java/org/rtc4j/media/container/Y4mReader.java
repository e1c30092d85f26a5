package org.rtc4j.media.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.VideoFrame;

/**
 * Reads YUV4MPEG2 (.y4m) raw video, 4:2:0 8-bit, as {@link VideoFrame}s:
 * <pre>
 * "YUV4MPEG2" { " " tag value } "\n"        tags W (width), H (height), F (rate num:den), C (colour space), ...
 * { "FRAME" { " " tag value } "\n" Y plane, U plane, V plane }
 * </pre>
 * Frame n is at n / rate seconds.
 */
public final class Y4mReader extends RawFileReader {

    private static final int MAX_LINE = 1024;

    private int width;
    private int height;
    private long rateNum = 30;
    private long rateDen = 1;
    private long count;

    public Y4mReader(InputStream stream) throws IOException {
        super(null);
        start(stream);
    }

    /** A reader that can {@link #rewind()}. */
    public Y4mReader(Path file) throws IOException {
        super(file);
        start(open(file));
    }

    @Override
    void readHeader() throws IOException {
        String header = line();
        if (header == null || !header.startsWith("YUV4MPEG2")) {
            throw in.error("not a Y4M file (no YUV4MPEG2 signature)");
        }
        for (String tag : header.split(" ")) {
            if (tag.length() < 2) {
                continue;
            }
            String v = tag.substring(1);
            try {
                switch (tag.charAt(0)) {
                    case 'W' -> width = Integer.parseInt(v);
                    case 'H' -> height = Integer.parseInt(v);
                    case 'F' -> {
                        String[] f = v.split(":");
                        rateNum = Long.parseLong(f[0]);
                        rateDen = Long.parseLong(f[1]);
                    }
                    case 'C' -> {
                        if (!v.startsWith("420")) {
                            throw in.error("Y4M colour space " + v + " (only 4:2:0 8-bit is read)");
                        }
                        if (v.contains("p1") || v.contains("p9")) { // 420p10, 420p12, 420p16, 420p9
                            throw in.error("Y4M colour space " + v + " (only 8 bits per sample are read)");
                        }
                    }
                    default -> {
                    }
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw in.error("bad Y4M header tag " + tag);
            }
        }
        if (width < 1 || height < 1 || width > VideoFrame.MAX_DIMENSION || height > VideoFrame.MAX_DIMENSION) {
            throw in.error("Y4M size " + width + "x" + height);
        }
        if (rateNum <= 0 || rateDen <= 0 || rateNum > 1_000_000_000L || rateDen > 1_000_000_000L) {
            throw in.error("Y4M frame rate " + rateNum + ":" + rateDen);
        }
        count = 0;
    }

    /** A header line without its newline, or null at the end of the file. */
    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        int b = in.readOrEnd();
        if (b < 0) {
            return null;
        }
        while (b != '\n') {
            if (b < 0) {
                throw in.truncated();
            }
            if (s.length() == MAX_LINE) {
                throw in.error("Y4M header line longer than " + MAX_LINE + " bytes");
            }
            s.append((char) b);
            b = in.readOrEnd();
        }
        return s.toString();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public MediaFrame read() throws IOException {
        String frame = line();
        if (frame == null) {
            return null;
        }
        if (!frame.startsWith("FRAME")) {
            throw in.error("no FRAME header here");
        }
        byte[] packed = in.bytes(VideoFrame.packedSize(width, height)); // grows as bytes arrive
        long micros = org.rtc4j.media.container.internal.TrackClocks.rescale(count++, 1_000_000L * rateDen, rateNum);
        return VideoFrame.fromPacked(width, height, packed, 0, micros);
    }
}
