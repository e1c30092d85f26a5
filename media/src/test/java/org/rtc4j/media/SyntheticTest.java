package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SyntheticTest {

    private static final MediaSettings SYNTHETIC = MediaSettings.defaults()
            .withSyntheticDevices(SyntheticDevices.ONLY).withJavaSound(false).withScreenCapture(false);

    @Test
    void theFrameCounterReadsBackFromThePixelsAtManySizes() {
        for (int[] size : new int[][] {{640, 480}, {32, 16}, {33, 17}, {1280, 720}, {176, 144}}) {
            SyntheticVideo p = new SyntheticVideo(size[0], size[1], 30);
            for (long n : new long[] {0, 1, 2, 29, 30, 12345, 0xFF_FFFF}) {
                VideoFrame f = p.frame(n);
                assertThat(SyntheticVideo.readFrameCounter(f)).as("%s frame %d", f, n).isEqualTo(n);
                assertThat(f.timestampMicros()).isEqualTo(Math.round(n * 1e6 / 30));
            }
        }
        assertThat(SyntheticVideo.readFrameCounter(new SyntheticVideo(64, 32, 30).frame(1L << 24))).isZero();
    }

    @Test
    void blankOrDamagedBarCodesReadAsNothing() {
        assertThat(SyntheticVideo.readFrameCounter(VideoFrame.black(640, 480, 0))).isEqualTo(-1);
        assertThat(SyntheticVideo.readFrameCounter(VideoFrame.filled(640, 480, (byte) 235, (byte) 128,
                (byte) 128, 0))).isEqualTo(-1);
        VideoFrame f = new SyntheticVideo(640, 480, 30).frame(77);
        byte[] y = f.dataY().clone();
        for (int row = 480 - 60; row < 480; row++) {
            for (int x = 0; x < 20; x++) {
                y[row * 640 + x] = (byte) (251 - (y[row * 640 + x] & 0xFF));   // flip the first cell
            }
        }
        assertThat(SyntheticVideo.readFrameCounter(new VideoFrame(640, 480, y, f.dataU(), f.dataV(), 0)))
                .isEqualTo(-1);
    }

    @Test
    void theCounterSurvivesAPngRoundTripAndTheSquareMoves() throws Exception {
        SyntheticVideo p = new SyntheticVideo(320, 240, 30);
        VideoFrame back = PngSnapshot.read(PngSnapshot.png(p.frame(4242)));
        assertThat(SyntheticVideo.readFrameCounter(back)).isEqualTo(4242);
        assertThat(p.frame(1).dataY()).isNotEqualTo(p.frame(2).dataY());
        // Frames differing only in the moving square and the digits: bars stay put.
        assertThat(p.frame(1).lumaAt(300, 5)).isEqualTo(p.frame(50).lumaAt(300, 5));
    }

    @Test
    void theToneBeepsAtTheStartOfEachSecond() {
        SyntheticAudio a = new SyntheticAudio(48_000, 2, 440);
        AudioFrame beep = a.frame(0, 480);
        AudioFrame quiet = a.frame(24_000, 480);
        assertThat(peak(beep)).isGreaterThan(15_000);
        assertThat(peak(quiet)).isBetween(3_000, 3_300);
        assertThat(a.inBeep(48_000 + 4_799)).isTrue();
        assertThat(a.inBeep(48_000 + 4_800)).isFalse();
        assertThat(beep.sample(10, 0)).isEqualTo(beep.sample(10, 1));
        assertThat(a.frame(48_000, 10).timestampMicros()).isEqualTo(1_000_000);
    }

    private static int peak(AudioFrame f) {
        int m = 0;
        for (short s : f.samples()) {
            m = Math.max(m, Math.abs(s));
        }
        return m;
    }

    @Test
    void getUserMediaOnAHeadlessMachineGivesTheSyntheticDevicesWhenAsked() throws Exception {
        MediaDevices d = new MediaDevices(SYNTHETIC.withSyntheticDevices(SyntheticDevices.WHEN_NO_REAL_DEVICE));
        List<MediaDeviceInfo> devices = d.enumerateDevices().join();
        assertThat(devices).extracting(MediaDeviceInfo::kind)
                .containsExactly(MediaDeviceKind.AUDIOINPUT, MediaDeviceKind.VIDEOINPUT);
        MediaStream s = d.getUserMedia(MediaStreamConstraints.of(true, true)).join();
        MediaStreamTrack video = s.getVideoTracks().getFirst();
        MediaStreamTrack audio = s.getAudioTracks().getFirst();
        List<Long> counters = new CopyOnWriteArrayList<>();
        List<Long> times = new CopyOnWriteArrayList<>();
        List<AudioFrame> sound = new CopyOnWriteArrayList<>();
        CountDownLatch enough = new CountDownLatch(5);
        video.addSink(MediaSink.video(f -> {
            counters.add(SyntheticVideo.readFrameCounter(f));
            times.add(f.timestampMicros());
            enough.countDown();
        }));
        audio.addSink(MediaSink.audio(sound::add));
        assertThat(enough.await(20, TimeUnit.SECONDS)).isTrue();
        video.stop();
        audio.stop();
        // Rising numbers (frames before the sink was added, or skipped by a slow machine, are missing), each
        // drawn into the picture whose timestamp says the same: frame n comes n/30 s after frame 0.
        assertThat(counters).doesNotContain(-1L).doesNotHaveDuplicates().isSorted();
        for (int i = 1; i < counters.size(); i++) {
            assertThat(times.get(i) - times.getFirst()).isCloseTo(Math.round((counters.get(i)
                    - counters.getFirst()) * 1e6 / 30), org.assertj.core.data.Offset.offset(1L));
        }
        assertThat(sound).isNotEmpty();
        assertThat(sound.getFirst().samplesPerChannel()).isEqualTo(480);
        assertThat(video.getSettings().deviceId()).isEqualTo("rtc4j-synthetic-camera");
    }

    @Test
    void stopReleasesTheSchedulerThread() throws Exception {
        MediaStream s = new MediaDevices(SYNTHETIC).getUserMedia(MediaStreamConstraints.of(false, true)).join();
        MediaStreamTrack t = s.getVideoTracks().getFirst();
        assertThat(threads("rtc4j-synthetic-camera")).isPositive();
        List<VideoFrame> after = new CopyOnWriteArrayList<>();
        MediaStreamTrack clone = t.clone();
        t.stop();
        assertThat(t.source().isStopped()).isFalse();   // the clone keeps it
        clone.stop();
        assertThat(t.source().isStopped()).isTrue();
        clone.addSink(MediaSink.video(after::add));
        for (int i = 0; i < 100 && threads("rtc4j-synthetic-camera") > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(threads("rtc4j-synthetic-camera")).isZero();
        assertThat(after).isEmpty();
    }

    private static long threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals(name)).count();
    }

    @Test
    void disabledSyntheticVideoIsBlack() throws Exception {
        MediaStream s = new MediaDevices(SYNTHETIC).getUserMedia(MediaStreamConstraints.video(
                MediaTrackConstraints.none().width(ConstrainDouble.exact(64)).height(ConstrainDouble.exact(32))))
                .join();
        MediaStreamTrack t = s.getVideoTracks().getFirst();
        t.setEnabled(false);
        CountDownLatch got = new CountDownLatch(3);
        List<VideoFrame> frames = new CopyOnWriteArrayList<>();
        t.addSink(MediaSink.video(f -> {
            frames.add(f);
            got.countDown();
        }));
        assertThat(got.await(20, TimeUnit.SECONDS)).isTrue();
        t.stop();
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.width()).isEqualTo(64);
            assertThat(f.toPacked()).isEqualTo(VideoFrame.black(64, 32, 0).toPacked());
        });
    }

    @Test
    void newSettingsTakeEffectOnTheRunningCamera() throws Exception {
        MediaStream s = new MediaDevices(SYNTHETIC).getUserMedia(MediaStreamConstraints.video(
                MediaTrackConstraints.none().frameRate(ConstrainDouble.exact(60)))).join();
        MediaStreamTrack t = s.getVideoTracks().getFirst();
        CountDownLatch fast = new CountDownLatch(10);
        t.addSink(MediaSink.video(f -> fast.countDown()));
        assertThat(fast.await(20, TimeUnit.SECONDS)).isTrue();
        t.applyConstraints(MediaTrackConstraints.none().width(ConstrainDouble.exact(64))
                .height(ConstrainDouble.exact(32)).frameRate(ConstrainDouble.exact(5))).join();
        List<VideoFrame> small = new CopyOnWriteArrayList<>();
        CountDownLatch got = new CountDownLatch(2);
        t.addSink(MediaSink.video(f -> {
            if (f.width() == 64) {
                small.add(f);
                got.countDown();
            }
        }));
        assertThat(got.await(20, TimeUnit.SECONDS)).isTrue();
        t.stop();
        assertThat(small.get(1).timestampMicros() - small.get(0).timestampMicros()).isEqualTo(200_000);
        assertThat(SyntheticVideo.readFrameCounter(small.get(1)) - SyntheticVideo.readFrameCounter(small.get(0)))
                .isEqualTo(1);
    }

    @Test
    void theCounterSurvivesH264AndVp8ThroughFfmpeg(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        SyntheticVideo p = new SyntheticVideo(640, 480, 30);
        java.nio.file.Path raw = dir.resolve("in.yuv");
        try (var out = java.nio.file.Files.newOutputStream(raw)) {
            for (int i = 0; i < 10; i++) {
                out.write(p.frame(1000 + i).toPacked());
            }
        }
        for (String codec : List.of("libx264 -crf 40 -preset ultrafast", "libvpx -b:v 200k -deadline realtime")) {
            java.nio.file.Path coded = dir.resolve("coded.mkv");
            java.nio.file.Path back = dir.resolve("out.yuv");
            List<String> enc = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-f", "rawvideo",
                    "-pix_fmt", "yuv420p", "-s", "640x480", "-r", "30", "-i", raw.toString(), "-c:v"));
            enc.addAll(List.of(codec.split(" ")));
            enc.add(coded.toString());
            run(enc);
            run(List.of("ffmpeg", "-v", "error", "-y", "-i", coded.toString(), "-f", "rawvideo", "-pix_fmt",
                    "yuv420p", back.toString()));
            byte[] decoded = java.nio.file.Files.readAllBytes(back);
            int size = VideoFrame.packedSize(640, 480);
            assertThat(decoded.length).as(codec).isEqualTo(10 * size);
            for (int i = 0; i < 10; i++) {
                VideoFrame f = VideoFrame.fromPacked(640, 480, decoded, i * size, 0);
                assertThat(SyntheticVideo.readFrameCounter(f)).as("%s frame %d", codec, i).isEqualTo(1000 + i);
            }
        }
    }

    private static void run(List<String> cmd) throws Exception {
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes());
        assertThat(proc.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as(out).isZero();
    }
}
