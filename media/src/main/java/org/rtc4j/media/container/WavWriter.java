package org.rtc4j.media.container;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.container.internal.ByteBuilder;
import org.rtc4j.media.container.internal.Output;

/**
 * Records 16-bit PCM into WAV (layout in {@link WavReader}). The RIFF and data sizes are written as 0xFFFFFFFF,
 * which ffmpeg and others read as "to the end of the file", so a recording that is never closed plays; close
 * puts the real sizes in where the file is seekable.
 */
public final class WavWriter implements Closeable {

    private final Output out;
    private final int sampleRate;
    private final int channels;
    private final ByteBuilder bytes = new ByteBuilder(8192);
    private long dataBytes;

    public static WavWriter create(Path file, int sampleRate, int channels) throws IOException {
        return Output.create(file, out -> new WavWriter(out, sampleRate, channels));
    }

    public WavWriter(OutputStream stream, int sampleRate, int channels) throws IOException {
        this(Output.of(stream), sampleRate, channels);
    }

    private WavWriter(Output out, int sampleRate, int channels) throws IOException {
        if (sampleRate < 1 || sampleRate > AudioFrame.MAX_SAMPLE_RATE || channels < 1 || channels > 16) {
            throw new IllegalArgumentException(channels + " channels at " + sampleRate + " Hz");
        }
        this.out = out;
        this.sampleRate = sampleRate;
        this.channels = channels;
        bytes.ascii("RIFF").le(0xFFFF_FFFFL, 4).ascii("WAVE");
        bytes.ascii("fmt ").le(16, 4).le(1, 2).le(channels, 2).le(sampleRate, 4).le((long) sampleRate * channels * 2, 4)
                .le(channels * 2, 2).le(16, 2);
        bytes.ascii("data").le(0xFFFF_FFFFL, 4);
        out.write(bytes);
        out.flush();
    }

    /** Appends {@code frame}, which must have the writer's rate and channel count. */
    public void write(AudioFrame frame) throws IOException {
        if (frame.sampleRate() != sampleRate || frame.channels() != channels) {
            throw new IllegalArgumentException(frame + " in a WAV file of " + channels + " channels at "
                    + sampleRate + " Hz");
        }
        short[] s = frame.samples();
        bytes.reset();
        int at = bytes.append(s.length * 2);
        byte[] b = bytes.array();
        for (short v : s) {
            b[at++] = (byte) v;
            b[at++] = (byte) (v >> 8);
        }
        out.write(bytes);
        out.flush();
        dataBytes += s.length * 2L;
    }

    @Override
    public void close() throws IOException {
        if (out.seekable() && dataBytes + 36 <= 0xFFFF_FFFFL) {
            out.patch(4, new ByteBuilder(4).le(36 + dataBytes, 4).toByteArray());
            out.patch(40, new ByteBuilder(4).le(dataBytes, 4).toByteArray());
        }
        out.close();
    }
}
