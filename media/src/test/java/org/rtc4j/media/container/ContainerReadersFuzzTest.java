package org.rtc4j.media.container;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.rtc4j.media.FrameReader;

/**
 * Whatever a file holds, each reader returns frames, ends, or throws {@link ContainerFormatException} with a
 * message: no other exception, no hang, and memory bounded by the file's size and the readers' caps.
 * Seeds (tiny ffmpeg files) are in ContainerReadersFuzzTestInputs.
 */
class ContainerReadersFuzzTest {

    interface Opener {
        Object open(ByteArrayInputStream in) throws IOException;
    }

    private static void drain(byte[] data, Opener opener) {
        try {
            Object reader = opener.open(new ByteArrayInputStream(data));
            // Every frame costs at least a byte of input, so this bound is never reached by a working reader.
            for (int i = 0; i <= data.length + 1; i++) {
                Object frame = reader instanceof EncodedReader e ? e.read() : ((FrameReader) reader).read();
                if (frame == null) {
                    return;
                }
            }
            throw new AssertionError("more frames than bytes: the reader loops without progress");
        } catch (ContainerFormatException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("an error without a message", e);
            }
        } catch (IOException e) {
            throw new AssertionError("not a ContainerFormatException", e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void ivf(byte[] data) {
        drain(data, IvfReader::new);
    }

    @FuzzTest(maxDuration = "5s")
    void annexB(byte[] data) {
        drain(data, in -> new AnnexBReader(in, 30));
    }

    @FuzzTest(maxDuration = "5s")
    void oggOpus(byte[] data) {
        drain(data, OggOpusReader::new);
    }

    /** The same with each page's CRC made right, so that mutations reach the packet and header logic. */
    @FuzzTest(maxDuration = "5s")
    void oggOpusPastTheCrc(byte[] data) {
        byte[] fixed = data.clone();
        for (int at = 0; at + 27 <= fixed.length; at++) {
            if (fixed[at] != 'O' || fixed[at + 1] != 'g' || fixed[at + 2] != 'g' || fixed[at + 3] != 'S') {
                continue;
            }
            int segments = fixed[at + 26] & 0xFF;
            int length = 27 + segments;
            for (int i = 0; i < segments && at + 27 + i < fixed.length; i++) {
                length += fixed[at + 27 + i] & 0xFF;
            }
            if (at + length > fixed.length) {
                break;
            }
            fixed[at + 22] = fixed[at + 23] = fixed[at + 24] = fixed[at + 25] = 0;
            int crc = org.rtc4j.media.container.internal.OggCrc.update(0, fixed, at, length);
            for (int i = 0; i < 4; i++) {
                fixed[at + 22 + i] = (byte) (crc >>> (8 * i));
            }
            at += length - 1;
        }
        drain(fixed, OggOpusReader::new);
    }

    @FuzzTest(maxDuration = "5s")
    void matroska(byte[] data) {
        drain(data, MatroskaReader::new);
    }

    @FuzzTest(maxDuration = "5s")
    void y4m(byte[] data) {
        drain(data, Y4mReader::new);
    }

    @FuzzTest(maxDuration = "5s")
    void wav(byte[] data) {
        drain(data, WavReader::new);
    }
}
