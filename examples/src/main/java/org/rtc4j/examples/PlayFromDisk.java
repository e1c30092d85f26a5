package org.rtc4j.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCRtpTransceiver;
import org.rtc4j.RTCRtpTransceiverDirection;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PacedSource;
import org.rtc4j.media.container.ContainerFrameReader;

/**
 * "Play from disk" (as Pion's sample): a video file (IVF, H.264 Annex B, WebM or Matroska) played into a
 * browser in real time and looped, its frames sent as they are in the file, without decoding. Run it:
 * {@code java org.rtc4j.examples.PlayFromDisk video.ivf [port]} and open the URL it prints (make a file with
 * {@code ffmpeg -f lavfi -i testsrc=size=640x480:rate=30 -t 10 -c:v libvpx -g 30 video.ivf}).
 */
public final class PlayFromDisk implements AutoCloseable {

    private final MediaStreamTrack track;
    private final OfferPage page;

    private PlayFromDisk(Path file, int port) throws IOException {
        // One source for every browser: they all see the same moment of the file.
        track = new PacedSource(new ContainerFrameReader(file, MediaKind.VIDEO, 30), true, file.toString())
                .createTrack();
        page = OfferPage.start(port, "media.html", this::answer);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: PlayFromDisk <video file> [port]");
            System.exit(2);
        }
        PlayFromDisk sample = start(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 8080);
        System.out.println("open " + sample.url() + " in a browser (Ctrl-C to stop)");
        Runtime.getRuntime().addShutdownHook(new Thread(sample::close));
        Thread.currentThread().join();
    }

    /** Plays {@code file} to every browser that opens {@link #url()}, on {@code port} (0: any free port). */
    public static PlayFromDisk start(Path file, int port) throws IOException {
        return new PlayFromDisk(file, port);
    }

    public URI url() {
        return page.url("mode=receive");
    }

    private void answer(RTCPeerConnection pc, String query) {
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            if (t.receiver().track().kind() == MediaKind.VIDEO) {
                t.setDirection(RTCRtpTransceiverDirection.SENDONLY);
                t.sender().replaceTrack(track).join();
            }
        }
    }

    @Override
    public void close() {
        page.close();
        track.stop();
    }
}
