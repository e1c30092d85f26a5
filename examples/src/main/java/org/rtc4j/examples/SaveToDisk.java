package org.rtc4j.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCRtpTransceiver;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.container.ContainerTrack;
import org.rtc4j.media.container.MatroskaWriter;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * "Save to disk" (as Pion's sample): a browser's camera, recorded into a WebM file as it arrives, frames kept as
 * the browser encoded them (VP8). Run it: {@code java org.rtc4j.examples.SaveToDisk [file.webm] [port]}, open
 * the URL it prints, stop it with Ctrl-C; the file plays in any browser or player.
 */
public final class SaveToDisk implements AutoCloseable {

    private final OfferPage page;
    private final Path file;
    private final AtomicLong frames = new AtomicLong();
    private MatroskaWriter writer;

    private SaveToDisk(Path file, int port) throws IOException {
        this.file = file;
        this.page = OfferPage.start(port, "media.html", this::answer);
    }

    public static void main(String[] args) throws Exception {
        SaveToDisk sample = start(Path.of(args.length > 0 ? args[0] : "camera.webm"),
                args.length > 1 ? Integer.parseInt(args[1]) : 8080);
        System.out.println("open " + sample.url() + " in a browser; Ctrl-C stops and closes " + sample.file);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sample.close();
            System.out.println("saved " + sample.frames() + " frames to " + sample.file);
        }));
        Thread.currentThread().join();
    }

    /** Serves the page on {@code port} (0: any free port); the first browser that sends video goes to {@code file}. */
    public static SaveToDisk start(Path file, int port) throws IOException {
        return new SaveToDisk(file, port);
    }

    public URI url() {
        return page.url("mode=send");
    }

    /** Frames written so far. */
    public long frames() {
        return frames.get();
    }

    private void answer(RTCPeerConnection pc, String query) {
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            if (t.receiver().track().kind() == MediaKind.VIDEO) {
                t.receiver().track().addSink(MediaSink.encoded(this::write));
            }
        }
    }

    /** On the connection's loop: a small write per frame (a real recorder would hand off to a thread). */
    private synchronized void write(EncodedFrame f) {
        try {
            if (writer == null) {
                if (!f.keyFrame() || f.codec() != Codec.VP8) {
                    return; // a file starts where a player can start
                }
                // RFC 6386 section 9.1: a key frame's size follows its 3-byte tag and start code, 14 bits each.
                byte[] d = f.data();
                int width = d[6] & 0xff | (d[7] & 0x3f) << 8;
                int height = d[8] & 0xff | (d[9] & 0x3f) << 8;
                writer = MatroskaWriter.createWebm(file, List.of(ContainerTrack.video(Codec.VP8, width, height)));
            }
            writer.write(0, f);
            frames.incrementAndGet();
        } catch (IOException e) {
            System.err.println("recording stopped: " + e.getMessage());
        }
    }

    /** Stops serving and completes the file. */
    @Override
    public synchronized void close() {
        page.close();
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                System.err.println("closing " + file + ": " + e.getMessage());
            }
        }
    }
}
