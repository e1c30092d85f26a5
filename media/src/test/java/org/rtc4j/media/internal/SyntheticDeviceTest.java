package org.rtc4j.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.rtc4j.media.MediaSettings;
import org.rtc4j.media.MediaTrackSettings;

/** The synthetic sources' ticks on a virtual clock (their Ticker thread is never started here). */
class SyntheticDeviceTest {

    private static final SyntheticDevice CAMERA = SyntheticDevice.camera(MediaSettings.defaults());
    private static final SyntheticDevice MIC = SyntheticDevice.microphone(MediaSettings.defaults());

    @Test
    void videoTicksOnceAFrameAndALateTickSkipsToTheCurrentFrame() {
        var v = new SyntheticDevice.Video("cam", MediaTrackSettings.video(64, 32, 10, "c", "g"),
                CAMERA.capabilities());
        assertThat(v.tick(5_000_000)).isEqualTo(5_100_000);
        assertThat(v.tick(5_100_000)).isEqualTo(5_200_000);
        assertThat(v.tick(5_750_000)).isEqualTo(5_800_000);   // frames 3 to 6 skipped, frame 7 made
    }

    @Test
    void newFrameRateRestartsTheTimelineNow() {
        var v = new SyntheticDevice.Video("cam", MediaTrackSettings.video(64, 32, 60, "c", "g"),
                CAMERA.capabilities());
        long t = 0;
        for (int i = 0; i < 120; i++) {
            t = v.tick(t);
        }
        v.reconfigure(MediaTrackSettings.video(64, 32, 5, "c", "g"));
        // Frame 120 is due at once at 5 fps, the next 200 ms later (not at 120 / 5 s = 24 s).
        assertThat(v.tick(t)).isEqualTo(t + 200_000);
    }

    @Test
    void audioComesIn10MsFramesAndCatchesUp() {
        var a = new SyntheticDevice.Audio("mic", MediaTrackSettings.audio(11_025, 1, "m", "g"), MIC.capabilities(),
                440);
        assertThat(a.tick(0)).isEqualTo(10_000);
        assertThat(a.tick(10_000)).isEqualTo(20_000);
        // Frames 2 to 6 at once (the first 40 ms late), so the sound has no hole; next due at 70 ms.
        assertThat(a.tick(60_000)).isEqualTo(70_000);
    }
}
