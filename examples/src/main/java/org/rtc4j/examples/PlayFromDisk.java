package org.rtc4j.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rtc4j.LoopPlayer;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCPeerConnectionState;
import org.rtc4j.RTCRtpTransceiver;
import org.rtc4j.RTCRtpTransceiverDirection;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.container.ContainerFrameReader;

/**
 * "Play from disk" (as Pion's sample): a video file (IVF, H.264 Annex B, WebM or Matroska) played into a
 * browser in real time and looped, its frames sent as they are in the file, without decoding. Run it:
 * {@code java org.rtc4j.examples.PlayFromDisk video.ivf [port]} and open the URL it prints (make a file with
 * {@code ffmpeg -f lavfi -i testsrc=size=640x480:rate=30 -t 10 -c:v libvpx -g 30 video.ivf}).
 */
public final class PlayFromDisk implements AutoCloseable {

    private final Path file;
    private final List<LoopPlayer> players = new CopyOnWriteArrayList<>();
    private final OfferPage page;

    private PlayFromDisk(Path file, int port) throws IOException {
        new ContainerFrameReader(file, MediaKind.VIDEO, 30).close();   // a file it cannot read fails here
        this.file = file;
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

    /**
     * Each browser gets the file from its beginning (a key frame), paced on its connection's own loop by a
     * {@link LoopPlayer}: no thread per browser, and each frame leaves in the loop's pump as it is due. It starts
     * when the connection is up and stops when it closes or fails.
     */
    private void answer(RTCPeerConnection pc, String query) throws IOException {
        PushSource source = new PushSource(MediaKind.VIDEO, file.toString());
        LoopPlayer player = new LoopPlayer(pc).add(new ContainerFrameReader(file, MediaKind.VIDEO, 30), true, source);
        players.add(player);
        pc.onConnectionStateChange(s -> {
            if (s == RTCPeerConnectionState.CONNECTED) {
                player.start();
            } else if (s == RTCPeerConnectionState.CLOSED || s == RTCPeerConnectionState.FAILED) {
                player.close();
                players.remove(player);
            }
        });
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            if (t.receiver().track().kind() == MediaKind.VIDEO) {
                t.setDirection(RTCRtpTransceiverDirection.SENDONLY);
                t.sender().replaceTrack(source.createTrack()).join();
            }
        }
    }

    @Override
    public void close() {
        players.forEach(LoopPlayer::close);
        page.close();
    }
}
