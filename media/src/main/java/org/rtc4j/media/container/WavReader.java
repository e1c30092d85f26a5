package org.rtc4j.media.container;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaKind;

/**
 * Reads 16-bit PCM WAV as {@link AudioFrame}s of 20 ms. RIFF chunks, little-endian:
 * <pre>
 * "RIFF" size "WAVE" { chunk id (4 ASCII) | size u32 | data, padded to even }
 * "fmt ": format tag u16 (1 PCM, 0xFFFE extensible) | channels u16 | rate u32 | byte rate u32 | block align u16 |
 *         bits per sample u16 [ | extension ]
 * "data": the samples, interleaved
 * </pre>
 * A data size of 0 or 0xFFFFFFFF (a recording never closed, or a stream) reads to the end of the file.
 */
public final class WavReader extends RawFileReader {

    private int sampleRate;
    private int channels;
    private long remaining;
    private long samplesRead;

    public WavReader(InputStream stream) throws IOException {
        super(null);
        start(stream);
    }

    /** A reader that can {@link #rewind()}. */
    public WavReader(Path file) throws IOException {
        super(file);
        start(open(file));
    }

    @Override
    void readHeader() throws IOException {
        if (in.be(4) != 0x52494646L) { // "RIFF"
            throw in.error("not a WAV file (no RIFF signature)");
        }
        in.le(4);
        if (in.be(4) != 0x57415645L) { // "WAVE"
            throw in.error("RIFF file is not WAVE");
        }
        boolean haveFormat = false;
        while (true) {
            long id = in.be(4);
            long size = in.le(4);
            if (id == 0x666D7420L) { // "fmt "
                if (size < 16 || size > 1024) {
                    throw in.error("WAV fmt chunk of " + size + " bytes");
                }
                byte[] f = in.bytes((int) (size + (size & 1)));
                int tag = le16(f, 0);
                channels = le16(f, 2);
                long rate = le16(f, 4) | (long) le16(f, 6) << 16;
                int bits = le16(f, 14);
                boolean pcm = tag == 1 || (tag == 0xFFFE && size >= 26 && le16(f, 24) == 1);
                if (!pcm || bits != 16) {
                    throw in.error("WAV format " + tag + " with " + bits + " bits (only 16-bit PCM is read)");
                }
                if (channels < 1 || channels > AudioFrame.MAX_CHANNELS || rate < 1 || rate > AudioFrame.MAX_SAMPLE_RATE) {
                    throw in.error("WAV with " + channels + " channels at " + rate + " Hz");
                }
                sampleRate = (int) rate;
                haveFormat = true;
            } else if (id == 0x64617461L) { // "data"
                if (!haveFormat) {
                    throw in.error("WAV data chunk before its fmt chunk");
                }
                remaining = size == 0 || size == 0xFFFF_FFFFL ? Long.MAX_VALUE : size;
                break;
            } else {
                in.skip(size + (size & 1));
            }
        }
        samplesRead = 0;
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.AUDIO;
    }

    @Override
    public MediaFrame read() throws IOException {
        int blockAlign = channels * 2;
        int want = (int) Math.min(Math.max(1, sampleRate / 50) * blockAlign, remaining);
        byte[] chunk = in.upTo(want); // grows as bytes arrive: a header's claims allocate nothing
        int n = chunk.length - chunk.length % blockAlign; // a cut sample at the end of a recording is dropped
        if (n == 0) {
            return null;
        }
        remaining -= n;
        long micros = samplesRead * 1_000_000L / sampleRate;
        samplesRead += n / blockAlign;
        return AudioFrame.fromLittleEndian(chunk, 0, n, sampleRate, channels, micros);
    }
}
