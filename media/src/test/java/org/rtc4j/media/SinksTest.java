package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.internal.Yuv;

class SinksTest {

    @TempDir
    Path dir;

    @Test
    void pngSnapshotsDecodeInFfmpegToOurPixels() throws Exception {
        PushSource src = new PushSource(MediaKind.VIDEO, "cam");
        MediaStreamTrack t = src.createTrack();
        PngSnapshot snap = PngSnapshot.sink();
        t.addSink(snap);
        Path png = dir.resolve("snap.png");
        assertThat(snap.writeLatest(png)).isFalse();
        VideoFrame f = new SyntheticVideo(160, 120, 30).frame(321);
        src.push(f);
        assertThat(snap.latest()).isSameAs(f);
        assertThat(snap.writeLatest(png)).isTrue();

        Path rgb = dir.resolve("snap.rgb");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", png.toString(), "-f", "rawvideo",
                "-pix_fmt", "rgb24", rgb.toString()).redirectErrorStream(true).start();
        String err = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        byte[] theirs = Files.readAllBytes(rgb);
        int[] ours = Yuv.toRgb(f);
        assertThat(theirs).hasSize(160 * 120 * 3);
        for (int i = 0; i < ours.length; i++) {
            int pixel = (theirs[3 * i] & 0xFF) << 16 | (theirs[3 * i + 1] & 0xFF) << 8 | theirs[3 * i + 2] & 0xFF;
            assertThat(pixel).as("pixel %d", i).isEqualTo(ours[i]);
        }
        assertThat(SyntheticVideo.readFrameCounter(PngSnapshot.read(Files.readAllBytes(png)))).isEqualTo(321);
    }

    @Test
    void snapshotsAreTurnedUpright() {
        VideoFrame f = new SyntheticVideo(64, 32, 30).frame(5).withRotation(90);
        var img = PngSnapshot.toImage(f);
        assertThat(img.getWidth()).isEqualTo(32);
        assertThat(img.getHeight()).isEqualTo(64);
        // The picture's top-left corner (colour bar, white) is now top-right.
        assertThat(img.getRGB(31, 0) & 0xFFFFFF).isEqualTo(Yuv.toRgb(f)[0]);
        assertThat(PngSnapshot.toImage(f.withRotation(180)).getRGB(63, 31) & 0xFFFFFF).isEqualTo(Yuv.toRgb(f)[0]);
        assertThat(PngSnapshot.toImage(f.withRotation(270)).getRGB(0, 63) & 0xFFFFFF).isEqualTo(Yuv.toRgb(f)[0]);
    }

    @Test
    void yuvConversionKeepsGreysAndColoursClose() {
        int[] rgb = {0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0x808080};
        for (int c : rgb) {
            int[] px = new int[4];
            java.util.Arrays.fill(px, c);
            int back = Yuv.toRgb(Yuv.fromRgb(px, 2, 2, 0))[0];
            for (int shift = 0; shift < 24; shift += 8) {
                assertThat(Math.abs((back >> shift & 0xFF) - (c >> shift & 0xFF))).as("%06x", c).isLessThan(4);
            }
        }
        assertThat(Yuv.fromRgb(new int[] {0xFFFFFF}, 1, 1, 0).lumaAt(0, 0)).isEqualTo(235);
        assertThat(Yuv.fromRgb(new int[] {0}, 1, 1, 0).lumaAt(0, 0)).isEqualTo(16);
    }

    @Test
    void speakersPlayWhatFitsAndDropTheRestWithoutBlocking() {
        MediaDeviceInfo out = new MediaDevices().enumerateDevices().join().stream()
                .filter(d -> d.kind() == MediaDeviceKind.AUDIOOUTPUT).findFirst().orElseThrow();
        assertThat(out.label()).isEqualTo(TestSoundCard.NAME);
        assertThatThrownBy(() -> SpeakerSink.open("javasound-out-nothing", 48_000, 2))
                .isInstanceOf(NotFoundError.class);
        assertThatThrownBy(() -> SpeakerSink.open(out.deviceId(), 44_100, 2)).isInstanceOf(NotReadableError.class);
        int written = TestSoundCard.WRITTEN.get();
        int closed = TestSoundCard.SPEAKER_CLOSED.get();
        try (SpeakerSink speaker = SpeakerSink.open(out.deviceId(), 48_000, 2)) {
            speaker.onAudioFrame(new SyntheticAudio(48_000, 2, 440).frame(0, 480));    // 10 ms: fits
            speaker.onAudioFrame(new SyntheticAudio(48_000, 2, 440).frame(480, 1500)); // more than the room
            speaker.onAudioFrame(AudioFrame.silence(8_000, 1, 80, 0));                 // not the line's format
            assertThat(speaker.playedSamples()).isEqualTo(480 + 960);
            assertThat(speaker.droppedSamples()).isEqualTo(1500 - 960 + 80);
        }
        assertThat(TestSoundCard.WRITTEN.get() - written).isEqualTo((480 + 960) * 4);
        assertThat(TestSoundCard.SPEAKER_CLOSED.get()).isEqualTo(closed + 1);
    }

    @Test
    void deviceChangeFiresWhenTheListChanges() {
        MediaDevices d = new MediaDevices(MediaSettings.defaults().withJavaSound(false).withScreenCapture(false)
                .withSyntheticDevices(SyntheticDevices.WHEN_NO_REAL_DEVICE));
        int[] changes = new int[1];
        d.onDeviceChange(() -> changes[0]++);
        d.enumerateDevices().join();
        assertThat(changes[0]).isZero();
        TestDevice cam = TestDevice.camera("cam", new int[] {640, 480});
        d.addDevice(cam);
        assertThat(changes[0]).isEqualTo(1);
        // The added camera replaces the synthetic one, which was there only for want of a real camera.
        assertThat(d.enumerateDevices().join()).extracting(MediaDeviceInfo::deviceId)
                .containsExactly("cam", "rtc4j-synthetic-microphone");
        d.removeDevice("cam");
        assertThat(changes[0]).isEqualTo(2);
        assertThat(d.enumerateDevices().join()).extracting(MediaDeviceInfo::deviceId)
                .isEqualTo(List.of("rtc4j-synthetic-microphone", "rtc4j-synthetic-camera"));
    }
}
