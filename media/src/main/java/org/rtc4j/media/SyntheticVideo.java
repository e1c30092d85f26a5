package org.rtc4j.media;

/**
 * The synthetic camera's pictures, computed from the frame number alone (so any frame can be made, and checked,
 * without running a camera): colour bars, a white square bouncing left and right, the frame number and the
 * clock ({@code frame 123 00:00:04.100}) in digits, and at the bottom the frame number as a bar code a program
 * reads back with {@link #readFrameCounter}.
 *
 * <p>The bar code: the bottom eighth of the picture (at least 2 rows) is cut into 32 equal cells across; cell i
 * (from the left) is white (luma 235) for a 1 bit and black (luma 16) for a 0, bit 31 first. Bits 31-8 hold the
 * frame number modulo 2^24, bits 7-0 a CRC-8 (polynomial 0x07, as in SMBus) of those three bytes XOR 0x55, so
 * that a damaged code, or an all-black or all-white strip, reads as unreadable rather than as a wrong number.
 * Each cell is at least one pixel wide (width at least 32); at 640 pixels a cell is 20 wide, which survives lossy
 * video coding.
 */
public final class SyntheticVideo {

    /** The smallest picture: 32 cells across, 2 rows of bar code. */
    public static final int MIN_WIDTH = 32;
    public static final int MIN_HEIGHT = 16;

    private static final int CELLS = 32;
    // BT.601 limited-range 75 % colour bars: white, yellow, cyan, green, magenta, red, blue, black (Y, Cb, Cr).
    private static final int[][] BARS = {{180, 128, 128}, {162, 44, 142}, {131, 156, 44}, {112, 72, 58},
        {84, 184, 198}, {65, 100, 212}, {35, 212, 114}, {16, 128, 128}};
    // 3x5 digits (and ':' '.'), one row per 3-bit number, most significant bit left.
    private static final String GLYPHS = "0123456789:. framed";
    private static final int[][] FONT = {
        {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1}, {7, 4, 7, 1, 7},
        {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}, {0, 2, 0, 2, 0}, {0, 0, 0, 0, 2},
        {0, 0, 0, 0, 0}, {3, 4, 6, 4, 4}, {0, 6, 5, 4, 4}, {0, 3, 5, 5, 3}, {0, 6, 7, 5, 5}, {2, 5, 7, 4, 3},
        {1, 1, 3, 5, 3}};

    private final int width;
    private final int height;
    private final double frameRate;

    public SyntheticVideo(int width, int height, double frameRate) {
        if (width < MIN_WIDTH || height < MIN_HEIGHT || width > VideoFrame.MAX_DIMENSION
                || height > VideoFrame.MAX_DIMENSION) {
            throw new IllegalArgumentException("synthetic video needs at least " + MIN_WIDTH + "x" + MIN_HEIGHT
                    + ": " + width + "x" + height);
        }
        if (!(frameRate > 0 && frameRate <= 1000)) {
            throw new IllegalArgumentException("frame rate " + frameRate);
        }
        this.width = width;
        this.height = height;
        this.frameRate = frameRate;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public double frameRate() {
        return frameRate;
    }

    /** Time of frame {@code index} in microseconds: {@code index / frameRate}. */
    public long timestampMicros(long index) {
        return Math.round(index * 1_000_000.0 / frameRate);
    }

    /** Picture number {@code index} (0 first), at {@link #timestampMicros(long)}. */
    public VideoFrame frame(long index) {
        int cw = (width + 1) / 2;
        int ch = (height + 1) / 2;
        byte[] y = new byte[width * height];
        byte[] u = new byte[cw * ch];
        byte[] v = new byte[cw * ch];
        int stripTop = height - Math.max(2, height / 8);
        int barsBottom = stripTop * 3 / 4;
        for (int b = 0; b < BARS.length; b++) {
            int x0 = b * width / BARS.length;
            int x1 = (b + 1) * width / BARS.length;
            fill(y, u, v, x0, 0, x1, barsBottom, BARS[b][0], BARS[b][1], BARS[b][2]);
        }
        fill(y, u, v, 0, barsBottom, width, height, 16, 128, 128);
        // The square bounces across the bars, one pixel per frame at 30 fps (speed scales with width).
        int side = Math.max(4, barsBottom / 3);
        int travel = Math.max(1, width - side);
        long pos = Math.floorMod(index * Math.max(1, width / 320) * 4L, 2L * travel);
        int x = (int) (pos < travel ? pos : 2L * travel - pos);
        int top = (barsBottom - side) / 2;
        fill(y, u, v, x, top, x + side, top + side, 16, 128, 128);
        int border = Math.max(1, side / 8);
        fill(y, u, v, x + border, top + border, x + side - border, top + side - border, 235, 128, 128);
        drawText(y, text(index), barsBottom, stripTop);
        long code = ((index & 0xFF_FFFFL) << 8) | crc8(index & 0xFF_FFFFL);
        for (int i = 0; i < CELLS; i++) {
            boolean one = (code >>> (CELLS - 1 - i) & 1) != 0;
            fill(y, u, v, i * width / CELLS, stripTop, (i + 1) * width / CELLS, height, one ? 235 : 16, 128, 128);
        }
        return new VideoFrame(width, height, y, u, v, timestampMicros(index));
    }

    private String text(long index) {
        long ms = timestampMicros(index) / 1_000;
        return String.format("frame %d %02d:%02d:%02d.%03d", index, ms / 3_600_000 % 100, ms / 60_000 % 60,
                ms / 1_000 % 60, ms % 1_000);
    }

    private void drawText(byte[] y, String s, int top, int bottom) {
        int scale = Math.min((bottom - top) / 7, width / (4 * s.length() + 2));
        if (scale < 1) {
            return;   // too small to read: the bar code still carries the number
        }
        int x0 = 2 * scale;
        int y0 = top + ((bottom - top) - 5 * scale) / 2;
        for (int c = 0; c < s.length(); c++) {
            int[] glyph = FONT[Math.max(0, GLYPHS.indexOf(s.charAt(c)))];
            for (int row = 0; row < 5; row++) {
                for (int col = 0; col < 3; col++) {
                    if ((glyph[row] >> (2 - col) & 1) != 0) {
                        int px = x0 + (4 * c + col) * scale;
                        int py = y0 + row * scale;
                        for (int dy = 0; dy < scale; dy++) {
                            java.util.Arrays.fill(y, (py + dy) * width + px, (py + dy) * width + px + scale,
                                    (byte) 235);
                        }
                    }
                }
            }
        }
    }

    private void fill(byte[] y, byte[] u, byte[] v, int x0, int y0, int x1, int y1, int ly, int cb, int cr) {
        x1 = Math.min(x1, width);
        y1 = Math.min(y1, height);
        for (int row = y0; row < y1; row++) {
            java.util.Arrays.fill(y, row * width + x0, row * width + x1, (byte) ly);
        }
        int cw = (width + 1) / 2;
        for (int row = y0 / 2; row < (y1 + 1) / 2; row++) {
            java.util.Arrays.fill(u, row * cw + x0 / 2, row * cw + (x1 + 1) / 2, (byte) cb);
            java.util.Arrays.fill(v, row * cw + x0 / 2, row * cw + (x1 + 1) / 2, (byte) cr);
        }
    }

    /**
     * The frame number in a synthetic picture's bar code (modulo 2^24), or -1 when there is none or it is
     * damaged. Reads the middle row of the bottom strip, averaging the middle half of each cell and cutting at
     * luma 128, then checks the CRC. Works on any copy of the picture of the same size that kept luma within
     * about 100 of its value: PNG, a lossy codec, a scaled copy scaled back.
     */
    public static long readFrameCounter(VideoFrame f) {
        int w = f.width();
        int h = f.height();
        if (w < MIN_WIDTH || h < 2) {
            return -1;
        }
        int row = h - Math.max(2, h / 8) / 2 - 1;
        long code = 0;
        for (int i = 0; i < CELLS; i++) {
            int x0 = i * w / CELLS;
            int x1 = (i + 1) * w / CELLS;
            int a = x0 + (x1 - x0) / 4;
            int b = Math.max(a + 1, x1 - (x1 - x0) / 4);
            int sum = 0;
            for (int x = a; x < b; x++) {
                sum += f.lumaAt(x, row);
            }
            code = code << 1 | (sum / (b - a) >= 128 ? 1 : 0);
        }
        long counter = code >>> 8;
        return crc8(counter) == (code & 0xFF) ? counter : -1;
    }

    /** CRC-8 (x^8 + x^2 + x + 1, initial 0) over the three bytes of {@code v}, high first, XOR 0x55. */
    static int crc8(long v) {
        int crc = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            crc ^= (int) (v >>> shift) & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? (crc << 1 ^ 0x07) & 0xFF : crc << 1 & 0xFF;
            }
        }
        return crc ^ 0x55;
    }
}
