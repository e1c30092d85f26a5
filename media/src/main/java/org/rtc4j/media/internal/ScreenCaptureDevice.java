package org.rtc4j.media.internal;

import java.awt.AWTException;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import org.rtc4j.media.CaptureDevice;
import org.rtc4j.media.DoubleRange;
import org.rtc4j.media.MediaDeviceInfo;
import org.rtc4j.media.MediaDeviceKind;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSource;
import org.rtc4j.media.MediaTrackCapabilities;
import org.rtc4j.media.MediaTrackSettings;
import org.rtc4j.media.NotReadableError;
import org.rtc4j.media.VideoFrame;

/**
 * The whole default screen through {@code java.awt.Robot}, scaled down to the asked size: the display surface
 * of {@code getDisplayMedia}. Exists only where AWT has a display (not headless).
 */
public final class ScreenCaptureDevice implements CaptureDevice {

    public static final String ID = "rtc4j-screen";
    private static final double DEFAULT_FRAME_RATE = 15;
    private static final double MAX_FRAME_RATE = 30;

    private final Rectangle bounds;
    private final MediaDeviceInfo info;

    private ScreenCaptureDevice(Rectangle bounds) {
        this.bounds = bounds;
        this.info = new MediaDeviceInfo(ID, MediaDeviceKind.VIDEOINPUT, "screen " + bounds.width + "x"
                + bounds.height, ID);
    }

    /** The default screen, or {@code null} without a display. */
    public static ScreenCaptureDevice find() {
        try {
            if (GraphicsEnvironment.isHeadless()) {
                return null;
            }
            Rectangle r = GraphicsEnvironment.getLocalGraphicsEnvironment().getDefaultScreenDevice()
                    .getDefaultConfiguration().getBounds();
            return new ScreenCaptureDevice(r);
        } catch (java.awt.AWTError | RuntimeException e) {
            return null;   // DISPLAY set but no server answering
        }
    }

    @Override
    public MediaDeviceInfo info() {
        return info;
    }

    @Override
    public MediaTrackCapabilities capabilities() {
        return MediaTrackCapabilities.video(new DoubleRange(1, bounds.width), new DoubleRange(1, bounds.height),
                new DoubleRange(1, MAX_FRAME_RATE), ID, ID);
    }

    @Override
    public MediaTrackSettings defaultSettings() {
        return MediaTrackSettings.video(bounds.width, bounds.height, DEFAULT_FRAME_RATE, ID, ID);
    }

    @Override
    public MediaSource open(MediaTrackSettings settings) {
        try {
            return new Capture(info.label(), settings, capabilities(), bounds, new Robot());
        } catch (AWTException | SecurityException e) {
            throw new NotReadableError("cannot capture the screen: " + e.getMessage(), e);
        }
    }

    /** Grabs the screen each 1/frameRate s; a slow grab delays the next rather than queueing. */
    static final class Capture extends TickingSource {
        private final Rectangle bounds;
        private final Robot robot;

        Capture(String label, MediaTrackSettings s, MediaTrackCapabilities caps, Rectangle bounds, Robot robot) {
            super(MediaKind.VIDEO, label, s, caps, "rtc4j-screen-capture");
            this.bounds = bounds;
            this.robot = robot;
        }

        @Override
        long tick(long now) {
            MediaTrackSettings s = settings();
            deliver(grab(s.width(), s.height(), now));
            return now + (long) (1_000_000 / s.frameRate());
        }

        VideoFrame grab(int width, int height, long now) {
            BufferedImage shot = robot.createScreenCapture(bounds);
            BufferedImage img = shot;
            if (shot.getWidth() != width || shot.getHeight() != height
                    || shot.getType() != BufferedImage.TYPE_INT_RGB) {
                img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(shot, 0, 0, width, height, null);
                g.dispose();
            }
            int[] rgb = img.getRGB(0, 0, width, height, null, 0, width);
            return Yuv.fromRgb(rgb, width, height, now);
        }

        @Override
        protected void reconfigure(MediaTrackSettings s) {
            // The next grab scales to the new settings.
        }
    }
}
