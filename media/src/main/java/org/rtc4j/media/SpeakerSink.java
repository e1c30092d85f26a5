package org.rtc4j.media;

import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import org.rtc4j.media.internal.JavaSoundDevices;

/**
 * Plays a track's audio on a Java Sound output line. It never blocks the source's thread: what does not fit in
 * the line's buffer is dropped and counted ({@link #droppedSamples()}), as are frames of another format than the
 * line's. Close it to release the device.
 */
public final class SpeakerSink implements MediaSink, AutoCloseable {

    private final SourceDataLine line;
    private final int sampleRate;
    private final int channels;
    private long played;
    private long dropped;

    private SpeakerSink(SourceDataLine line, int sampleRate, int channels) {
        this.line = line;
        this.sampleRate = sampleRate;
        this.channels = channels;
    }

    /**
     * Opens an output: {@code deviceId} from {@code enumerateDevices} (an {@code audiooutput}), or {@code null}
     * for the system's default, for 16-bit PCM of this rate and channel count.
     *
     * @throws NotFoundError    when there is no such output (no sound card)
     * @throws NotReadableError when it exists but cannot be opened
     */
    public static SpeakerSink open(String deviceId, int sampleRate, int channels) {
        DataLine.Info want = new DataLine.Info(SourceDataLine.class, JavaSoundDevices.format(sampleRate, channels));
        try {
            SourceDataLine line;
            if (deviceId == null) {
                if (!AudioSystem.isLineSupported(want)) {
                    throw new NotFoundError("no audio output for " + sampleRate + " Hz x" + channels);
                }
                line = (SourceDataLine) AudioSystem.getLine(want);
            } else {
                Mixer.Info mi = JavaSoundDevices.outputMixer(deviceId);
                if (mi == null) {
                    throw new NotFoundError("no audio output " + deviceId);
                }
                line = (SourceDataLine) AudioSystem.getMixer(mi).getLine(want);
            }
            line.open(JavaSoundDevices.format(sampleRate, channels), sampleRate / 5 * channels * 2);
            line.start();
            return new SpeakerSink(line, sampleRate, channels);
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new NotReadableError("cannot open the audio output: " + e.getMessage(), e);
        }
    }

    @Override
    public void onAudioFrame(AudioFrame frame) {
        if (frame.sampleRate() != sampleRate || frame.channels() != channels || !line.isOpen()) {
            dropped += frame.samplesPerChannel();
            return;
        }
        byte[] pcm = frame.toLittleEndian();
        int frameBytes = 2 * channels;
        int n = Math.min(pcm.length, line.available() / frameBytes * frameBytes);
        line.write(pcm, 0, n);
        played += n / frameBytes;
        dropped += (pcm.length - n) / frameBytes;
    }

    /** Samples (per channel) handed to the line. */
    public long playedSamples() {
        return played;
    }

    /** Samples (per channel) dropped: no room in the line, or a format other than the line's. */
    public long droppedSamples() {
        return dropped;
    }

    @Override
    public void close() {
        line.stop();
        line.close();
    }
}
