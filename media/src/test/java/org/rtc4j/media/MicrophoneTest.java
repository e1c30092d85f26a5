package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Java Sound capture, on the test mixer {@link TestSoundCard} installs. */
class MicrophoneTest {

    private static final MediaSettings JAVA_SOUND = MediaSettings.defaults().withScreenCapture(false);

    @Test
    void aJavaSoundMicrophoneIsListedChosenReadAndReleasedOnStop() throws Exception {
        MediaDevices d = new MediaDevices(JAVA_SOUND);
        List<MediaDeviceInfo> devices = d.enumerateDevices().join();
        MediaDeviceInfo mic = devices.stream().filter(i -> i.label().equals(TestSoundCard.NAME))
                .findFirst().orElseThrow();
        assertThat(mic.kind()).isEqualTo(MediaDeviceKind.AUDIOINPUT);

        int opened = TestSoundCard.OPENED.get();
        int closed = TestSoundCard.CLOSED.get();
        MediaStream s = d.getUserMedia(MediaStreamConstraints.audio(MediaTrackConstraints.none()
                .deviceId(mic.deviceId()).channelCount(ConstrainDouble.ideal(2)))).join();
        MediaStreamTrack t = s.getAudioTracks().getFirst();
        assertThat(t.label()).isEqualTo(TestSoundCard.NAME);
        assertThat(t.getSettings().sampleRate()).isEqualTo(48_000);
        assertThat(t.getSettings().channelCount()).isEqualTo(2);
        assertThat(TestSoundCard.OPENED.get()).isEqualTo(opened + 1);

        List<AudioFrame> got = new CopyOnWriteArrayList<>();
        CountDownLatch some = new CountDownLatch(5);
        t.addSink(MediaSink.audio(f -> {
            got.add(f);
            some.countDown();
        }));
        assertThat(some.await(20, TimeUnit.SECONDS)).isTrue();
        t.stop();
        assertThat(TestSoundCard.CLOSED.get()).as("closed in stop()").isEqualTo(closed + 1);
        AudioFrame f = got.getFirst();
        assertThat(f.channels()).isEqualTo(2);
        assertThat(f.sampleRate()).isEqualTo(48_000);
        assertThat(f.samplesPerChannel()).isEqualTo(480);
        assertThat(got).extracting(AudioFrame::timestampMicros).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < 100 && threads() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(threads()).as("reader thread ended").isZero();
    }

    @Test
    void applyConstraintsReopensTheLineInTheNewFormat() {
        MediaDevices d = new MediaDevices(JAVA_SOUND);
        MediaStreamTrack t = d.getUserMedia(MediaStreamConstraints.audio(MediaTrackConstraints.none()
                .deviceId(mic(d)))).join().getAudioTracks().getFirst();
        int closed = TestSoundCard.CLOSED.get();
        t.applyConstraints(MediaTrackConstraints.none().sampleRate(ConstrainDouble.exact(16_000))).join();
        assertThat(t.getSettings().sampleRate()).isEqualTo(16_000);
        assertThat(TestSoundCard.CLOSED.get()).isEqualTo(closed + 1);
        Throwable f = org.assertj.core.api.Assertions.catchThrowable(() -> t.applyConstraints(
                MediaTrackConstraints.none().sampleRate(ConstrainDouble.exact(44_100))).join());
        assertThat(((OverconstrainedError) f.getCause()).constraint()).isEqualTo("sampleRate");
        t.stop();
    }

    @Test
    void withJavaSoundOffOnlyTheSyntheticMicrophoneRemains() {
        MediaDevices d = new MediaDevices(JAVA_SOUND.withJavaSound(false)
                .withSyntheticDevices(SyntheticDevices.WHEN_NO_REAL_DEVICE));
        assertThat(d.enumerateDevices().join()).extracting(MediaDeviceInfo::label)
                .doesNotContain(TestSoundCard.NAME).contains("rtc4j synthetic microphone");
        // With the real (test) microphone present, WHEN_NO_REAL_DEVICE adds no synthetic microphone.
        MediaDevices real = new MediaDevices(JAVA_SOUND.withSyntheticDevices(SyntheticDevices.WHEN_NO_REAL_DEVICE));
        assertThat(real.enumerateDevices().join()).extracting(MediaDeviceInfo::label)
                .contains(TestSoundCard.NAME).doesNotContain("rtc4j synthetic microphone")
                .contains("rtc4j synthetic camera");
    }

    private static String mic(MediaDevices d) {
        return d.enumerateDevices().join().stream().filter(i -> i.label().equals(TestSoundCard.NAME))
                .findFirst().orElseThrow().deviceId();
    }

    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals("rtc4j-microphone"))
                .count();
    }

    @Test
    void onlySyntheticDevicesHidesJavaSoundButNotTheApplicationsOwn() {
        MediaDevices d = new MediaDevices(JAVA_SOUND.withSyntheticDevices(SyntheticDevices.ONLY));
        d.addDevice(TestDevice.camera("app-cam", new int[] {320, 240}));
        assertThat(d.enumerateDevices().join()).extracting(MediaDeviceInfo::label).containsExactly("test app-cam",
                "rtc4j synthetic microphone", "rtc4j synthetic camera");
    }
}
