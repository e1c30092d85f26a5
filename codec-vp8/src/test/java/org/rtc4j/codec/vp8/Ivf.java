package org.rtc4j.codec.vp8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the frames of an IVF file: a 32-byte header, then per frame a 12-byte header and the data. */
final class Ivf {

    private Ivf() {}

    static List<byte[]> frames(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length < 32 || b[0] != 'D' || b[1] != 'K' || b[2] != 'I' || b[3] != 'F') {
            throw new IOException("not an IVF file: " + file);
        }
        int headerLength = le16(b, 6);
        List<byte[]> frames = new ArrayList<>();
        int p = headerLength;
        while (p + 12 <= b.length) {
            int size = le32(b, p);
            p += 12;
            if (size < 0 || size > b.length - p) {
                throw new IOException("truncated IVF frame");
            }
            byte[] f = new byte[size];
            System.arraycopy(b, p, f, 0, size);
            frames.add(f);
            p += size;
        }
        return frames;
    }

    private static int le16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    private static int le32(byte[] b, int o) {
        return le16(b, o) | le16(b, o + 2) << 16;
    }
}
