package org.rtc4j.media;

import java.util.Objects;

/**
 * rtc4j's options for media capture that the standard does not have, all in one place (as the peer
 * connection's settings object holds its own).
 *
 * @param syntheticDevices when the synthetic camera and microphone are offered
 * @param javaSound        look for microphones and speakers through Java Sound
 * @param screenCapture    let {@code getDisplayMedia} capture the screen through {@code java.awt.Robot}
 * @param syntheticVideo   the synthetic camera's default settings (width, height, frame rate)
 * @param syntheticAudio   the synthetic microphone's default settings (sample rate, channels)
 * @param toneHertz        frequency of the synthetic microphone's steady tone
 */
public record MediaSettings(SyntheticDevices syntheticDevices, boolean javaSound, boolean screenCapture,
                            MediaTrackSettings syntheticVideo, MediaTrackSettings syntheticAudio, double toneHertz) {

    public MediaSettings {
        Objects.requireNonNull(syntheticDevices, "syntheticDevices");
        Objects.requireNonNull(syntheticVideo, "syntheticVideo");
        Objects.requireNonNull(syntheticAudio, "syntheticAudio");
        if (!(toneHertz > 0)) {
            throw new IllegalArgumentException("tone frequency " + toneHertz);
        }
    }

    /** No synthetic devices, Java Sound and screen capture on; synthetic defaults 640x480 at 30 fps, 48 kHz mono. */
    public static MediaSettings defaults() {
        return new MediaSettings(SyntheticDevices.NEVER, true, true,
                MediaTrackSettings.video(640, 480, 30, "", ""), MediaTrackSettings.audio(48_000, 1, "", ""), 440);
    }

    public MediaSettings withSyntheticDevices(SyntheticDevices s) {
        return new MediaSettings(s, javaSound, screenCapture, syntheticVideo, syntheticAudio, toneHertz);
    }

    public MediaSettings withJavaSound(boolean on) {
        return new MediaSettings(syntheticDevices, on, screenCapture, syntheticVideo, syntheticAudio, toneHertz);
    }

    public MediaSettings withScreenCapture(boolean on) {
        return new MediaSettings(syntheticDevices, javaSound, on, syntheticVideo, syntheticAudio, toneHertz);
    }

    public MediaSettings withSyntheticVideo(int width, int height, double frameRate) {
        return new MediaSettings(syntheticDevices, javaSound, screenCapture,
                MediaTrackSettings.video(width, height, frameRate, "", ""), syntheticAudio, toneHertz);
    }

    public MediaSettings withSyntheticAudio(int sampleRate, int channels) {
        return new MediaSettings(syntheticDevices, javaSound, screenCapture, syntheticVideo,
                MediaTrackSettings.audio(sampleRate, channels, "", ""), toneHertz);
    }

    public MediaSettings withToneHertz(double hz) {
        return new MediaSettings(syntheticDevices, javaSound, screenCapture, syntheticVideo, syntheticAudio, hz);
    }
}
