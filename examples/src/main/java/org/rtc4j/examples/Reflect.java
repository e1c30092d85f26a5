package org.rtc4j.examples;

import java.io.IOException;
import java.net.URI;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCRtpTransceiver;
import org.rtc4j.RTCRtpTransceiverDirection;

/**
 * "Reflect" (as Pion's sample): whatever a browser sends comes straight back to it on the same transceiver,
 * frame by frame, without decoding: the received track is the sent track. Run it:
 * {@code java org.rtc4j.examples.Reflect [port]} and open the URL it prints: the page shows its own camera,
 * after a trip through Java.
 */
public final class Reflect implements AutoCloseable {

    private final OfferPage page;

    private Reflect(int port) throws IOException {
        page = OfferPage.start(port, "media.html", Reflect::answer);
    }

    public static void main(String[] args) throws Exception {
        Reflect sample = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("open " + sample.url() + " in a browser (Ctrl-C to stop)");
        Runtime.getRuntime().addShutdownHook(new Thread(sample::close));
        Thread.currentThread().join();
    }

    /** Serves the page on {@code port} (0: any free port). */
    public static Reflect start(int port) throws IOException {
        return new Reflect(port);
    }

    public URI url() {
        return page.url("mode=sendrecv");
    }

    private static void answer(RTCPeerConnection pc, String query) {
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            t.setDirection(RTCRtpTransceiverDirection.SENDRECV);
            t.sender().replaceTrack(t.receiver().track()).join();
        }
    }

    @Override
    public void close() {
        page.close();
    }
}
