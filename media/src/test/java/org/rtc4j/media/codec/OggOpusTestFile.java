package org.rtc4j.media.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The least Ogg Opus (RFC 7845) the codec tests need to hand packets to ffmpeg and take them back: one packet per
 * page. Test code only; the real Ogg reader and writer live in the container package.
 */
final class OggOpusTestFile {

    private OggOpusTestFile() {
    }

    /** Writes {@code packets} (each {@code samplesPerPacket} at 48 kHz) as an Ogg Opus file. */
    static void write(Path file, List<byte[]> packets, int channels, int preSkip, int samplesPerPacket)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN);
        head.put("OpusHead".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) channels)
                .putShort((short) preSkip).putInt(48_000).putShort((short) 0).put((byte) 0);
        int seq = 0;
        page(out, head.array(), 2, 0, seq++);
        byte[] vendor = "rtc4j test".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer tags = ByteBuffer.allocate(8 + 4 + vendor.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        tags.put("OpusTags".getBytes(StandardCharsets.US_ASCII)).putInt(vendor.length).put(vendor).putInt(0);
        page(out, tags.array(), 0, 0, seq++);
        long granule = preSkip;
        for (int i = 0; i < packets.size(); i++) {
            granule += samplesPerPacket;
            page(out, packets.get(i), i == packets.size() - 1 ? 4 : 0, granule, seq++);
        }
        Files.write(file, out.toByteArray());
    }

    private static void page(ByteArrayOutputStream out, byte[] packet, int flags, long granule, int seq) {
        int segments = packet.length / 255 + 1;
        ByteBuffer p = ByteBuffer.allocate(27 + segments + packet.length).order(ByteOrder.LITTLE_ENDIAN);
        p.put("OggS".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) flags).putLong(granule)
                .putInt(0x72746334).putInt(seq).putInt(0).put((byte) segments);
        for (int i = 0; i < segments - 1; i++) {
            p.put((byte) 255);
        }
        p.put((byte) (packet.length % 255)).put(packet);
        byte[] b = p.array();
        int crc = crc(b);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(22, crc);
        out.writeBytes(b);
    }

    // Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial 0, no final XOR.
    private static int crc(byte[] b) {
        int crc = 0;
        for (byte x : b) {
            crc ^= (x & 0xFF) << 24;
            for (int k = 0; k < 8; k++) {
                crc = crc < 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }

    /** The audio packets of an Ogg Opus file, after OpusHead and OpusTags. */
    static List<byte[]> readPackets(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        while (b.remaining() >= 27) {
            int start = b.position();
            int segments = b.get(start + 26) & 0xFF;
            int lacing = start + 27;
            int data = lacing + segments;
            for (int i = 0; i < segments; i++) {
                int len = b.get(lacing + i) & 0xFF;
                partial.write(b.array(), data, len);
                data += len;
                if (len < 255) {
                    packets.add(partial.toByteArray());
                    partial.reset();
                }
            }
            b.position(data);
        }
        return packets.subList(2, packets.size());
    }

    /** The pre-skip of an Ogg Opus file's OpusHead. */
    static int preSkip(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int head = 27 + (b[26] & 0xFF);
        return (b[head + 10] & 0xFF) | (b[head + 11] & 0xFF) << 8;
    }
}
