package org.rtc4j.media.container;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens an encoded media file with the reader its first bytes call for. */
public final class ContainerFiles {

    private ContainerFiles() {
    }

    /**
     * A reader for an IVF, Ogg Opus, WebM/Matroska or H.264 Annex B file, told apart by their signatures;
     * {@code annexBFramesPerSecond} times an Annex B stream, which has no timestamps of its own.
     *
     * @throws ContainerFormatException when the file is none of these
     */
    public static EncodedReader open(Path file, int annexBFramesPerSecond) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        try {
            in.mark(8);
            byte[] magic = in.readNBytes(4);
            in.reset();
            int m = magic.length == 4 ? (magic[0] & 0xFF) << 24 | (magic[1] & 0xFF) << 16 | (magic[2] & 0xFF) << 8
                    | (magic[3] & 0xFF) : 0;
            if (m == 0x444B4946) { // "DKIF"
                return new IvfReader(in);
            } else if (m == 0x4F676753) { // "OggS"
                return new OggOpusReader(in);
            } else if (m == 0x1A45DFA3) { // EBML
                return new MatroskaReader(in);
            } else if (m == 1 || (m >>> 8) == 1) { // a start code
                return new AnnexBReader(in, annexBFramesPerSecond);
            }
            throw new ContainerFormatException(file + " is not IVF, Ogg, WebM, Matroska or H.264 Annex B");
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
