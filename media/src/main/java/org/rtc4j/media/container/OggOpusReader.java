package org.rtc4j.media.container;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import org.rtc4j.media.container.internal.ByteBuilder;
import org.rtc4j.media.container.internal.Input;
import org.rtc4j.media.container.internal.OggCrc;
import org.rtc4j.media.container.internal.OpusToc;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Reads Opus from Ogg (RFC 7845) as packets. The first Opus logical stream is read; pages of other streams are
 * skipped. An Ogg page (RFC 3533 6):
 * <pre>
 * "OggS" | version 0 | header type (1 continued, 2 first, 4 last) | granule position i64 LE | serial u32 |
 * sequence u32 | CRC u32 | segment count | lacing values (one byte each) | segments
 * </pre>
 * A packet is a run of lacing values ending with one below 255. Timestamps count 48 kHz samples from the
 * granule origin (RFC 7845 4): the first page's granule position minus the samples of the packets it completes;
 * the decoder drops the track's {@link ContainerTrack#preSkip()} first samples.
 */
public final class OggOpusReader implements EncodedReader {

    /** The largest packet accepted (OpusTags may hold cover art; an audio packet is at most 120 ms). */
    public static final int MAX_PACKET_SIZE = 1 << 20;

    private final Input in;
    private final byte[] page = new byte[27 + 255 + 255 * 255];
    private final ByteBuilder partial = new ByteBuilder(4096);
    private final ArrayDeque<byte[]> packets = new ArrayDeque<>();
    private final ContainerTrack track;
    private long serial = -1;
    private long packetCount;
    private boolean ended;
    private boolean started;
    private long next; // timestamp of the next packet

    public OggOpusReader(InputStream stream) throws IOException {
        in = new Input(stream);
        byte[] head = nextPacket();
        if (head == null || head.length < 19 || !startsWith(head, "OpusHead")) {
            throw in.error("no OpusHead packet at the start of the Ogg file");
        }
        int version = head[8] & 0xFF;
        int channels = head[9] & 0xFF;
        int preSkip = (head[10] & 0xFF) | (head[11] & 0xFF) << 8;
        long rate = (head[12] & 0xFFL) | (head[13] & 0xFFL) << 8 | (head[14] & 0xFFL) << 16 | (head[15] & 0xFFL) << 24;
        if (version >> 4 != 0 || channels == 0) {
            throw in.error("OpusHead version " + version + " with " + channels + " channels");
        }
        byte[] tags = nextPacket();
        if (tags == null || !startsWith(tags, "OpusTags")) {
            throw in.error("no OpusTags packet after OpusHead");
        }
        track = new ContainerTrack(Codec.OPUS, 0, 0, rate == 0 || rate > 768_000 ? 48_000 : (int) rate, channels,
                preSkip);
    }

    private static boolean startsWith(byte[] b, String magic) {
        if (b.length < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (b[i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<ContainerTrack> tracks() {
        return List.of(track);
    }

    @Override
    public TrackFrame read() throws IOException {
        byte[] p = nextPacket();
        if (p == null) {
            return null;
        }
        int samples = OpusToc.samples(p);
        if (samples < 0) {
            throw in.error("invalid Opus packet of " + p.length + " bytes");
        }
        EncodedFrame frame = new EncodedFrame(Codec.OPUS, p, next & 0xFFFF_FFFFL, true);
        next += samples;
        return new TrackFrame(0, frame);
    }

    /** The next packet of our stream, or null at its end. */
    private byte[] nextPacket() throws IOException {
        while (packets.isEmpty()) {
            if (ended || !readPage()) {
                if (partial.length() > 0) {
                    throw in.error("Ogg stream ends inside a packet");
                }
                return null;
            }
        }
        return packets.poll();
    }

    /** Reads one page of our stream into {@link #packets}; false at the end of the file. */
    private boolean readPage() throws IOException {
        while (true) {
            int b = in.readOrEnd();
            if (b < 0) {
                return false;
            }
            page[0] = (byte) b;
            in.readFully(page, 1, 26);
            if (page[0] != 'O' || page[1] != 'g' || page[2] != 'g' || page[3] != 'S') {
                throw in.error("no Ogg page here (capture pattern missing)");
            }
            if (page[4] != 0) {
                throw in.error("Ogg page version " + page[4]);
            }
            int type = page[5] & 0xFF;
            long pageGranule = le(6, 8);
            long pageSerial = le(14, 4);
            int segments = page[26] & 0xFF;
            in.readFully(page, 27, segments);
            int bodySize = 0;
            for (int i = 0; i < segments; i++) {
                bodySize += page[27 + i] & 0xFF;
            }
            int bodyAt = 27 + segments;
            in.readFully(page, bodyAt, bodySize);
            int crc = (int) le(22, 4);
            page[22] = page[23] = page[24] = page[25] = 0;
            if (OggCrc.update(0, page, 0, bodyAt + bodySize) != crc) {
                throw in.error("Ogg page CRC mismatch");
            }
            if (serial < 0 && (type & 2) != 0) {
                serial = pageSerial;
            }
            if (pageSerial != serial) {
                continue; // another logical stream (RFC 3533 4: multiplexed)
            }
            if ((type & 1) == 0 && partial.length() > 0) {
                throw in.error("Ogg page does not continue the packet the previous page left open");
            }
            if ((type & 1) != 0 && partial.length() == 0) {
                throw in.error("Ogg page continues a packet that no page began");
            }
            long audioSamples = 0;
            int at = bodyAt;
            for (int i = 0; i < segments; i++) {
                int lace = page[27 + i] & 0xFF;
                if (partial.length() + lace > MAX_PACKET_SIZE) {
                    throw in.error("Ogg packet longer than " + MAX_PACKET_SIZE + " bytes");
                }
                partial.bytes(page, at, lace);
                at += lace;
                if (lace < 255) {
                    byte[] packet = partial.toByteArray();
                    partial.reset();
                    packets.add(packet);
                    if (packetCount++ >= 2) { // after OpusHead and OpusTags
                        audioSamples += Math.max(0, OpusToc.samples(packet));
                    }
                }
            }
            if (!started && audioSamples > 0 && pageGranule != -1) {
                // RFC 7845 4: the first page with audio fixes where the granule positions start.
                started = true;
                next = Math.max(0, pageGranule - audioSamples);
            }
            ended = (type & 4) != 0;
            return true;
        }
    }

    private long le(int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (page[at + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
