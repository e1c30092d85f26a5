package org.rtc4j.examples;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCRtpSender;
import org.rtc4j.RTCRtpTransceiver;
import org.rtc4j.RTCRtpTransceiverDirection;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStreamTrack;

/**
 * "Broadcast" (as Pion's sample): one browser publishes its camera, any number of browsers watch it, and
 * Java forwards the publisher's frames to every watcher without decoding (a one-to-many forwarder): the
 * publisher's received track is each watcher's sent track. Run it:
 * {@code java org.rtc4j.examples.Broadcast [port]}, open the watch URL it prints in some tabs, then the
 * publish URL in one.
 *
 * <p>A watcher who arrives after the publisher sees video at once: its browser's key frame request (PLI) to
 * the sender passing the frames on goes to the publisher's receiver, which asks the publisher (see
 * {@code MediaSource.requestKeyFrame}).
 */
public final class Broadcast implements AutoCloseable {

    private final OfferPage page;
    private final List<RTCRtpSender> watchers = new CopyOnWriteArrayList<>();
    private volatile MediaStreamTrack published;

    private Broadcast(int port) throws IOException {
        page = OfferPage.start(port, "media.html", this::answer);
    }

    public static void main(String[] args) throws Exception {
        Broadcast sample = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("watch: " + sample.watchUrl());
        System.out.println("publish: " + sample.publishUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(sample::close));
        Thread.currentThread().join();
    }

    /** Serves the pages on {@code port} (0: any free port). */
    public static Broadcast start(int port) throws IOException {
        return new Broadcast(port);
    }

    public URI publishUrl() {
        return page.url("mode=send&role=publish");
    }

    public URI watchUrl() {
        return page.url("mode=receive&role=watch");
    }

    private synchronized void answer(RTCPeerConnection pc, String query) {
        boolean publisher = query != null && query.contains("role=publish");
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            if (t.receiver().track().kind() != MediaKind.VIDEO) {
                continue;
            }
            if (publisher) {
                published = t.receiver().track();
                watchers.forEach(w -> w.replaceTrack(published));
            } else {
                t.setDirection(RTCRtpTransceiverDirection.SENDONLY);
                t.sender().replaceTrack(published).join();
                watchers.add(t.sender());
            }
        }
    }

    @Override
    public void close() {
        page.close();
    }
}
