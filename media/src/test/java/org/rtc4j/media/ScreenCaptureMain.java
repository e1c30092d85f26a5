package org.rtc4j.media;

import java.awt.Frame;
import java.awt.Graphics;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link ScreenCaptureTest} in a JVM of its own on an Xvfb display: shows synthetic picture 777 full
 * screen, captures the screen with getDisplayMedia, and prints the frame numbers read back from the captures
 * (full size, then scaled down by applyConstraints) and whether the capture thread ended after stop().
 */
public final class ScreenCaptureMain {

    public static void main(String[] args) throws Exception {
        int w = Integer.parseInt(args[0]);
        int h = Integer.parseInt(args[1]);
        BufferedImage picture = PngSnapshot.toImage(new SyntheticVideo(w, h, 30).frame(777));
        Frame window = new Frame() {
            @Override
            public void paint(Graphics g) {
                g.drawImage(picture, 0, 0, null);
            }
        };
        window.setUndecorated(true);
        window.setBounds(0, 0, w, h);
        window.setVisible(true);
        new Robot().waitForIdle();
        Thread.sleep(500);

        MediaDevices devices = new MediaDevices(MediaSettings.defaults().withJavaSound(false));
        MediaStream s = devices.getDisplayMedia(DisplayMediaStreamOptions.videoOnly()).join();
        MediaStreamTrack t = s.getVideoTracks().getFirst();
        System.out.println("LABEL " + t.label());
        BlockingQueue<VideoFrame> frames = new ArrayBlockingQueue<>(100);
        t.addSink(MediaSink.video(frames::offer));
        print(take(frames, w));
        t.applyConstraints(MediaTrackConstraints.none().width(ConstrainDouble.max(w / 2.0))).join();
        print(take(frames, w / 2));
        t.stop();
        for (int i = 0; i < 100 && captureThreads() > 0; i++) {
            Thread.sleep(50);
        }
        System.out.println("THREADS " + captureThreads());
        window.dispose();
        System.exit(0);
    }

    private static VideoFrame take(BlockingQueue<VideoFrame> q, int width) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            VideoFrame f = q.poll(10, TimeUnit.SECONDS);
            if (f == null) {
                throw new IllegalStateException("no frame captured");
            }
            if (f.width() == width) {
                return f;
            }
        }
        throw new IllegalStateException("no frame " + width + " wide");
    }

    private static void print(VideoFrame f) {
        System.out.println("FRAME " + f.width() + "x" + f.height() + " " + SyntheticVideo.readFrameCounter(f));
    }

    private static long captureThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().equals("rtc4j-screen-capture")).count();
    }
}
