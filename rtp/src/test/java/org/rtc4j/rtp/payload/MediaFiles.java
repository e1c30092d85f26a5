package org.rtc4j.rtp.payload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test media made by Debian's ffmpeg from its lavfi sources, and the frames of its containers read here (IVF,
 * H.264/H.265 Annex B, Ogg), as references for what the payload formats must carry.
 */
final class MediaFiles {

    private MediaFiles() {
    }

    /** Runs {@code ffmpeg -v error -y ARGS... out}; fails the test on any error. */
    static Path encode(Path dir, String name, String... args) throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
        cmd.addAll(Arrays.asList(args));
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String log = new String(p.getInputStream().readAllBytes());
        if (!done || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("ffmpeg failed: " + cmd + "\n" + log);
        }
        return out;
    }

    /** The frames of an IVF file: a 32-byte header, then per frame a 12-byte header (size, pts) and data. */
    static List<byte[]> ivf(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 32 || b.getInt(0) != 0x46494B44) {                   // "DKIF"
            throw new AssertionError("not IVF: " + file);
        }
        b.position(b.getShort(6) & 0xFFFF);
        List<byte[]> frames = new ArrayList<>();
        while (b.remaining() >= 12) {
            int size = b.getInt();
            b.getLong();
            byte[] f = new byte[size];
            b.get(f);
            frames.add(f);
        }
        return frames;
    }

    /** The packets of an Ogg stream (RFC 3533), the two Opus header packets (RFC 7845) dropped. */
    static List<byte[]> oggOpus(Path file) throws IOException {
        byte[] d = Files.readAllBytes(file);
        List<byte[]> packets = new ArrayList<>();
        java.io.ByteArrayOutputStream packet = new java.io.ByteArrayOutputStream();
        int pos = 0;
        while (pos + 27 <= d.length) {
            if (d[pos] != 'O' || d[pos + 1] != 'g' || d[pos + 2] != 'g' || d[pos + 3] != 'S') {
                throw new AssertionError("bad Ogg page at " + pos);
            }
            int segments = d[pos + 26] & 0xFF;
            int data = pos + 27 + segments;
            for (int i = 0; i < segments; i++) {
                int lace = d[pos + 27 + i] & 0xFF;
                packet.write(d, data, lace);
                data += lace;
                if (lace < 255) {
                    packets.add(packet.toByteArray());
                    packet.reset();
                }
            }
            pos = data;
        }
        return packets.subList(2, packets.size());
    }

    private static final int OTHER = 0;
    private static final int OPENER = 1;
    private static final int FIRST_SLICE = 2;
    private static final int SLICE = 3;

    /**
     * The access units of an H.264 Annex B stream: a new one begins at an AUD, SEI, SPS or PPS, or at a slice
     * whose first_mb_in_slice is 0, once the current one has a slice (H.264 section 7.4.1.2.3).
     */
    static List<byte[]> h264AccessUnits(byte[] stream) {
        return accessUnits(stream, u -> {
            int type = u[0] & 0x1F;
            if (type == 1 || type == 5) {
                return (u[1] & 0x80) != 0 ? FIRST_SLICE : SLICE;
            }
            return type >= 6 && type <= 9 ? OPENER : OTHER;
        });
    }

    /**
     * The access units of an H.265 Annex B stream: a new one begins at a VPS, SPS, PPS, AUD or prefix SEI, or at
     * a slice segment with first_slice_segment_in_pic_flag, once the current one has a slice (H.265 7.4.2.4.4).
     */
    static List<byte[]> h265AccessUnits(byte[] stream) {
        return accessUnits(stream, u -> {
            int type = (u[0] >>> 1) & 0x3F;
            if (type <= 31) {
                return (u[2] & 0x80) != 0 ? FIRST_SLICE : SLICE;
            }
            return type >= 32 && type <= 35 || type == 39 ? OPENER : OTHER;
        });
    }

    private static List<byte[]> accessUnits(byte[] stream, java.util.function.ToIntFunction<byte[]> kind) {
        List<byte[]> aus = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean hasSlice = false;
        for (byte[] u : nalUnits(stream)) {
            int k = kind.applyAsInt(u);
            if ((k == OPENER || k == FIRST_SLICE) && hasSlice) {
                aus.add(TestFrames.annexB(current.toArray(byte[][]::new)));
                current.clear();
                hasSlice = false;
            }
            current.add(u);
            hasSlice |= k >= FIRST_SLICE;
        }
        if (!current.isEmpty()) {
            aus.add(TestFrames.annexB(current.toArray(byte[][]::new)));
        }
        return aus;
    }

    /** The NAL units of an Annex B stream, without start codes and trailing zeros. */
    static List<byte[]> nalUnits(byte[] s) {
        List<byte[]> units = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 2 < s.length; i++) {
            if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
                if (start >= 0) {
                    units.add(trim(s, start, i));
                }
                start = i + 3;
                i += 2;
            }
        }
        if (start >= 0) {
            units.add(trim(s, start, s.length));
        }
        return units;
    }

    private static byte[] trim(byte[] s, int from, int to) {
        while (to > from && s[to - 1] == 0) {
            to--;
        }
        return Arrays.copyOfRange(s, from, to);
    }

    /** The OBUs of a low-overhead AV1 temporal unit, each with its size field, temporal delimiters left out. */
    static List<byte[]> obusWithoutDelimiters(byte[] tu) {
        List<byte[]> obus = new ArrayList<>();
        int pos = 0;
        while (pos < tu.length) {
            int header = tu[pos] & 0xFF;
            int h = (header & 0x04) != 0 ? 2 : 1;
            int at = pos + h;
            long size = 0;
            int shift = 0;
            int b;
            do {
                b = tu[at++] & 0xFF;
                size |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            int end = at + (int) size;
            if (((header >>> 3) & 0xF) != 2) {
                obus.add(Arrays.copyOfRange(tu, pos, end));
            }
            pos = end;
        }
        return obus;
    }
}
