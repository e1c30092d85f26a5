package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** A FrameReader played in real time: every frame arrives, in order, then the track ends (or loops). */
class PacedSourceTest {

    private static List<TimedEncodedFrame> vp8(int n) {
        List<TimedEncodedFrame> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new TimedEncodedFrame(new EncodedFrame(Codec.VP8, new byte[] {(byte) i}, 0, i == 0), 1_000 * i,
                    1_000));
        }
        return l;
    }

    @Test
    void playsEveryFrameInOrderThenEndsTheTrackAndClosesTheReader() throws Exception {
        ListReader reader = new ListReader(MediaKind.VIDEO, vp8(10));
        CountDownLatch ready = new CountDownLatch(1);
        PacedSource src = new PacedSource(gated(reader, ready), false, "file");
        MediaStreamTrack t = src.createTrack();
        List<EncodedFrame> got = new CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        t.onEnded(ended::countDown);
        t.addSink(MediaSink.encoded(got::add));
        ready.countDown();
        assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(t.readyState()).isEqualTo(MediaStreamTrackState.ENDED);
        assertThat(reader.closed).isTrue();
        assertThat(src.frames()).isEqualTo(10);
        // All arrive, in order, 1 ms (90 ticks) apart.
        assertThat(got).hasSize(10);
        for (int i = 1; i < got.size(); i++) {
            assertThat(got.get(i).data()[0] - got.get(i - 1).data()[0]).isEqualTo(1);
            assertThat(got.get(i).timestamp() - got.get(i - 1).timestamp()).isEqualTo(90);
        }
    }

    /** Holds the first read until {@code ready}, so that the test's sink is in place before frames flow. */
    private static FrameReader gated(ListReader r, CountDownLatch ready) {
        return new FrameReader() {
            @Override
            public MediaKind kind() {
                return r.kind();
            }

            @Override
            public MediaFrame read() throws IOException {
                try {
                    if (!ready.await(20, TimeUnit.SECONDS)) {
                        throw new IOException("never ready");
                    }
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return r.read();
            }

            @Override
            public void close() {
                r.close();
            }
        };
    }

    @Test
    void loopsUntilStoppedAndStopClosesTheReader() throws Exception {
        List<VideoFrame> frames = List.of(new SyntheticVideo(64, 32, 1000).frame(0),
                new SyntheticVideo(64, 32, 1000).frame(1));
        ListReader reader = new ListReader(MediaKind.VIDEO, frames);
        PacedSource src = new PacedSource(reader, true, "loop");
        MediaStreamTrack t = src.createTrack();
        CountDownLatch many = new CountDownLatch(10);
        List<Long> times = new CopyOnWriteArrayList<>();
        t.addSink(MediaSink.video(f -> {
            times.add(f.timestampMicros());
            many.countDown();
        }));
        assertThat(many.await(20, TimeUnit.SECONDS)).isTrue();
        t.stop();
        assertThat(reader.rewinds).isGreaterThanOrEqualTo(4);
        assertThat(reader.closed).isTrue();
        assertThat(t.getSettings().width()).isEqualTo(64);
        assertThat(times).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aReadErrorEndsTheTrack() throws Exception {
        FrameReader broken = new FrameReader() {
            @Override
            public MediaKind kind() {
                return MediaKind.AUDIO;
            }

            @Override
            public MediaFrame read() throws IOException {
                throw new IOException("truncated page");
            }

            @Override
            public void close() {
            }
        };
        MediaStreamTrack t = new PacedSource(broken, true, "bad").createTrack();
        CountDownLatch ended = new CountDownLatch(1);
        t.onEnded(ended::countDown);
        if (t.readyState() == MediaStreamTrackState.LIVE) {
            assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(t.readyState()).isEqualTo(MediaStreamTrackState.ENDED);
    }

    @Test
    void aFileOfferedAsACameraIsWhatGetUserMediaPlays() throws Exception {
        SyntheticVideo pattern = new SyntheticVideo(96, 48, 100);
        List<VideoFrame> file = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            file.add(pattern.frame(i));
        }
        MediaDevices d = new MediaDevices(MediaSettings.defaults().withJavaSound(false).withScreenCapture(false));
        d.addDevice(new FrameReaderDevice(new MediaDeviceInfo("file", MediaDeviceKind.VIDEOINPUT, "clip.y4m", "f"),
                MediaTrackSettings.video(96, 48, 100, "", ""), () -> new ListReader(MediaKind.VIDEO, file), false));
        Throwable wrong = org.assertj.core.api.Assertions.catchThrowable(() -> d.getUserMedia(
                MediaStreamConstraints.video(MediaTrackConstraints.none().width(ConstrainDouble.exact(640)))).join());
        assertThat(wrong.getCause()).isInstanceOf(OverconstrainedError.class);
        MediaStreamTrack t = d.getUserMedia(MediaStreamConstraints.of(false, true)).join().getVideoTracks()
                .getFirst();
        assertThat(t.getSettings().deviceId()).isEqualTo("file");
        assertThat(t.getCapabilities().width()).isEqualTo(DoubleRange.of(96));
        List<Long> counters = new CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        t.onEnded(ended::countDown);
        t.addSink(MediaSink.video(f -> counters.add(SyntheticVideo.readFrameCounter(f))));
        assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
        // The frames that came after the sink was added (all but the first few, 10 ms apart), in file order.
        assertThat(counters).isNotEmpty().isSorted().doesNotHaveDuplicates().allMatch(n -> n >= 0 && n < 50);
        assertThat(counters.getLast()).isEqualTo(49);
    }
}
