package org.rtc4j.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.codec.vp8.Vp8DecodeException;
import org.rtc4j.codec.vp8.Vp8Decoder;
import org.rtc4j.codec.vp8.Vp8EncodedFrame;
import org.rtc4j.codec.vp8.Vp8Encoder;
import org.rtc4j.codec.vp8.Vp8Frame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Two connections in one JVM with video ("peer connection" sample with media): pc1 encodes the synthetic test
 * pattern with the pure-Java VP8 encoder and sends it; pc2 receives whole frames, decodes them with the VP8
 * decoder and reads the frame number the pattern draws as a bar code. Run it:
 * {@code java org.rtc4j.examples.TwoPeersMedia}; it prints the frame numbers pc2 saw.
 */
public final class TwoPeersMedia {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;

    private TwoPeersMedia() {
    }

    public static void main(String[] args) throws Exception {
        for (long n : run(60)) {
            System.out.println("pc2 decoded frame " + n);
        }
    }

    /** Sends {@code count} frames at 30 a second; returns the frame numbers pc2 read from what it decoded. */
    public static List<Long> run(int count) throws Exception {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstFrame = new CountDownLatch(1);
        try (var pc1 = new RTCPeerConnection(RTCConfiguration.defaults());
             var pc2 = new RTCPeerConnection(RTCConfiguration.defaults())) {
            PushSource camera = new PushSource(MediaKind.VIDEO, "pattern");
            pc1.addTrack(camera.createTrack(), new MediaStream());
            Vp8Decoder decoder = new Vp8Decoder();
            pc2.onTrack(e -> e.track().addSink(MediaSink.encoded(f -> {
                try {
                    decoder.decode(f.data()).ifPresent(p -> seen.add(SyntheticVideo.readFrameCounter(picture(p))));
                    firstFrame.countDown();
                } catch (Vp8DecodeException ex) {
                    System.err.println("undecodable frame: " + ex.getMessage());
                }
            })));

            pc1.onIceCandidate(c -> pc2.addIceCandidate(c));
            pc2.onIceCandidate(c -> pc1.addIceCandidate(c));
            pc1.setLocalDescription().join();
            pc2.setRemoteDescription(pc1.localDescription()).join();
            pc2.setLocalDescription().join();
            pc1.setRemoteDescription(pc2.localDescription()).join();

            SyntheticVideo pattern = new SyntheticVideo(WIDTH, HEIGHT, 30);
            Vp8Encoder encoder = new Vp8Encoder(WIDTH, HEIGHT, 500_000, 30);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                VideoFrame v = pattern.frame(i);
                // Key frames until pc2 has one: frames sent before the connection is up are dropped.
                boolean key = firstFrame.getCount() > 0;
                Vp8EncodedFrame f = encoder.encode(new Vp8Frame(WIDTH, HEIGHT, v.dataY(), v.strideY(), v.dataU(),
                        v.dataV(), v.strideU()), key);
                camera.push(new EncodedFrame(Codec.VP8, f.data(), i * 3000L, f.keyFrame()));
                long due = start + (i + 1) * 1_000_000_000L / 30;
                TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
            }
            Thread.sleep(500); // the last frames' way through
        }
        return List.copyOf(seen);
    }

    /** A decoded picture as the media module's frame type (I420 planes). */
    private static VideoFrame picture(Vp8Frame p) {
        byte[] all = p.toI420();
        int y = p.width() * p.height();
        int c = p.chromaWidth() * p.chromaHeight();
        return new VideoFrame(p.width(), p.height(), Arrays.copyOf(all, y), Arrays.copyOfRange(all, y, y + c),
                Arrays.copyOfRange(all, y + c, y + 2 * c), 0);
    }
}
