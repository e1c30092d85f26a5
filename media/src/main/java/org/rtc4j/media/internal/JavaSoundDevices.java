package org.rtc4j.media.internal;

import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.CaptureDevice;
import org.rtc4j.media.DoubleRange;
import org.rtc4j.media.MediaDeviceInfo;
import org.rtc4j.media.MediaDeviceKind;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSource;
import org.rtc4j.media.MediaTrackCapabilities;
import org.rtc4j.media.MediaTrackSettings;
import org.rtc4j.media.NotReadableError;

/**
 * Microphones and speakers through Java Sound: every mixer that offers a 16-bit signed little-endian PCM line.
 * A device's id is derived from its mixer's name, so it stays the same across runs while the hardware does.
 */
public final class JavaSoundDevices {

    private static final int[] RATES = {48_000, 44_100, 32_000, 16_000, 8_000};

    private JavaSoundDevices() {
    }

    /** The PCM format rtc4j reads and writes. */
    public static AudioFormat format(int rate, int channels) {
        return new AudioFormat(rate, 16, channels, true, false);
    }

    public static List<CaptureDevice> microphones() {
        List<CaptureDevice> l = new ArrayList<>();
        for (Mixer.Info mi : mixers()) {
            Mixer m = AudioSystem.getMixer(mi);
            List<MediaTrackSettings> modes = new ArrayList<>();
            String id = "javasound-in-" + Integer.toHexString(mi.getName().hashCode());
            for (int rate : RATES) {
                for (int ch = 1; ch <= 2; ch++) {
                    if (m.isLineSupported(new DataLine.Info(TargetDataLine.class, format(rate, ch)))) {
                        modes.add(MediaTrackSettings.audio(rate, ch, id, id));
                    }
                }
            }
            if (!modes.isEmpty()) {
                l.add(new Microphone(new MediaDeviceInfo(id, MediaDeviceKind.AUDIOINPUT, mi.getName(), id), mi,
                        modes));
            }
        }
        return l;
    }

    /** Output devices for enumerateDevices ({@code audiooutput}). */
    public static List<MediaDeviceInfo> speakers() {
        List<MediaDeviceInfo> l = new ArrayList<>();
        for (Mixer.Info mi : mixers()) {
            if (AudioSystem.getMixer(mi).isLineSupported(new DataLine.Info(SourceDataLine.class, format(48_000, 2)))) {
                String id = "javasound-out-" + Integer.toHexString(mi.getName().hashCode());
                l.add(new MediaDeviceInfo(id, MediaDeviceKind.AUDIOOUTPUT, mi.getName(), id));
            }
        }
        return l;
    }

    /** The mixer of an {@code audiooutput} device id, or {@code null}. */
    public static Mixer.Info outputMixer(String deviceId) {
        for (Mixer.Info mi : mixers()) {
            if (deviceId.equals("javasound-out-" + Integer.toHexString(mi.getName().hashCode()))) {
                return mi;
            }
        }
        return null;
    }

    private static Mixer.Info[] mixers() {
        try {
            return AudioSystem.getMixerInfo();
        } catch (RuntimeException | Error e) {   // no sound system at all
            return new Mixer.Info[0];
        }
    }

    /** A Java Sound capture line at one of its supported formats. */
    record Microphone(MediaDeviceInfo info, Mixer.Info mixer, List<MediaTrackSettings> modes)
            implements CaptureDevice {

        @Override
        public MediaTrackCapabilities capabilities() {
            double minRate = modes.stream().mapToInt(MediaTrackSettings::sampleRate).min().orElseThrow();
            double maxRate = modes.stream().mapToInt(MediaTrackSettings::sampleRate).max().orElseThrow();
            double maxCh = modes.stream().mapToInt(MediaTrackSettings::channelCount).max().orElseThrow();
            return MediaTrackCapabilities.audio(new DoubleRange(minRate, maxRate), new DoubleRange(1, maxCh),
                    info.deviceId(), info.groupId());
        }

        @Override
        public MediaTrackSettings defaultSettings() {
            return modes.getFirst();
        }

        @Override
        public MediaSource open(MediaTrackSettings settings) {
            return new Capture(this, settings);
        }
    }

    /**
     * Reads the line on its own thread (Java Sound's read blocks), 10 ms at a time; stopping closes the line
     * at once, which ends the blocked read and the thread.
     */
    static final class Capture extends MediaSource {
        private final Microphone device;
        private TargetDataLine line;

        Capture(Microphone device, MediaTrackSettings s) {
            super(MediaKind.AUDIO, device.info().label(), s);
            this.device = device;
        }

        @Override
        public MediaTrackCapabilities capabilities() {
            return device.capabilities();
        }

        @Override
        protected List<MediaTrackSettings> modes() {
            return device.modes();
        }

        @Override
        protected void onStart() {
            open(settings());
        }

        private synchronized void open(MediaTrackSettings s) {
            AudioFormat f = format(s.sampleRate(), s.channelCount());
            TargetDataLine l;
            try {
                l = (TargetDataLine) AudioSystem.getMixer(device.mixer())
                        .getLine(new DataLine.Info(TargetDataLine.class, f));
                l.open(f);
                l.start();
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                throw new NotReadableError("cannot open " + device.info().label() + ": " + e.getMessage(), e);
            }
            line = l;
            Thread.ofPlatform().daemon().name("rtc4j-microphone").start(() -> read(l, s));
        }

        private void read(TargetDataLine l, MediaTrackSettings s) {
            int perRead = s.sampleRate() / 100;
            byte[] buf = new byte[perRead * s.channelCount() * 2];
            long samples = 0;
            long start = Ticker.nowMicros();
            while (l.isOpen()) {
                int n = l.read(buf, 0, buf.length);
                n -= n % (2 * s.channelCount());
                if (n <= 0) {
                    if (!l.isActive()) {
                        return;
                    }
                    continue;
                }
                deliver(AudioFrame.fromLittleEndian(buf, 0, n, s.sampleRate(), s.channelCount(),
                        start + samples * 1_000_000 / s.sampleRate()));
                samples += n / (2 * s.channelCount());
            }
        }

        @Override
        protected synchronized void onStop() {
            if (line != null) {
                line.stop();
                line.close();   // ends the reader's blocked read and so its thread
                line = null;
            }
        }

        /** Reopens the line in the new format (Java Sound cannot change an open line's format). */
        @Override
        protected synchronized void reconfigure(MediaTrackSettings s) {
            onStop();
            open(s);
        }
    }
}
