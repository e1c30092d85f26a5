package org.rtc4j.rtp.payload.internal;

import static org.rtc4j.rtp.payload.internal.Payloads.u8;

import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Depacketizer;
import org.rtc4j.rtp.payload.Packetizer;

/**
 * VP8, RFC 7741. Each payload starts with the payload descriptor (section 4.2):
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 *      |   PictureID   |
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * What we send always carries a 15-bit picture ID (M=1), counted per frame; once a frame with a temporal layer
 * has been sent, every later frame also carries TL0PICIDX (counted per base-layer frame) and TID.
 */
public final class Vp8Format {

    private Vp8Format() {
    }

    /** A packetizer whose picture ID and TL0PICIDX start at the given values (random ones make streams differ). */
    public static Packetizer packetizer(int firstPictureId, int firstTl0PicIdx) {
        return new Vp8Packetizer(firstPictureId, firstTl0PicIdx);
    }

    public static Depacketizer depacketizer() {
        return new Vp8Depacketizer();
    }

    /**
     * The fields of one payload descriptor, absent optional ones -1: one reused instance per depacketizer, so that
     * reading a packet allocates nothing.
     */
    static final class Descriptor {
        private int length;
        private boolean start;
        private int partition;
        private int pictureId;
        private int tid;

        /** Reads the descriptor at {@code p}'s position into this instance, and returns it. */
        Descriptor parse(ByteBuffer p) throws ParseException {
            int n = p.remaining();
            if (n < 1) {
                throw new ParseException("VP8: empty payload");
            }
            int b0 = u8(p, 0);
            int pos = 1;
            pictureId = -1;
            tid = -1;
            if ((b0 & 0x80) != 0) {
                if (n < 2) {
                    throw new ParseException("VP8: truncated descriptor");
                }
                int x = u8(p, pos++);
                if ((x & 0x80) != 0) {
                    if (pos >= n) {
                        throw new ParseException("VP8: truncated picture ID");
                    }
                    int m = u8(p, pos++);
                    if ((m & 0x80) != 0) {
                        if (pos >= n) {
                            throw new ParseException("VP8: truncated picture ID");
                        }
                        pictureId = (m & 0x7F) << 8 | u8(p, pos++);
                    } else {
                        pictureId = m;
                    }
                }
                if ((x & 0x40) != 0) {
                    if (pos >= n) {
                        throw new ParseException("VP8: truncated TL0PICIDX");
                    }
                    pos++;
                }
                if ((x & 0x30) != 0) {
                    if (pos >= n) {
                        throw new ParseException("VP8: truncated TID/KEYIDX");
                    }
                    int tk = u8(p, pos++);
                    if ((x & 0x20) != 0) {
                        tid = tk >>> 6;
                    }
                }
            }
            length = pos;
            start = (b0 & 0x10) != 0;
            partition = b0 & 0x07;
            return this;
        }

        int length() {
            return length;
        }

        int pictureId() {
            return pictureId;
        }

        int tid() {
            return tid;
        }

        /** The first packet of a frame: S=1 and partition index 0 (section 4.2). */
        boolean frameStart() {
            return start && partition == 0;
        }
    }

    private static final class Vp8Packetizer implements Packetizer {

        private final PayloadWriter writer = new PayloadWriter();
        private final PictureNumbering numbers;

        Vp8Packetizer(int pictureId, int tl0PicIdx) {
            numbers = new PictureNumbering(pictureId, tl0PicIdx);
        }

        @Override
        public void packetize(EncodedFrame frame, int maxPayloadSize, PayloadSink out) {
            Payloads.checkFrame(frame, Codec.VP8, maxPayloadSize, 7);
            int tid = Math.min(frame.temporalLayer(), 3);
            numbers.frame(tid == 0, tid > 0);
            boolean layered = numbers.layered();
            byte[] data = frame.data();
            int off = 0;
            do {
                writer.begin(maxPayloadSize);
                writer.put(0x80 | (off == 0 ? 0x10 : 0));     // X, S on the first packet, PID 0
                writer.put(layered ? 0xE0 : 0x80);            // I, and L and T when layered
                numbers.write(writer);
                if (layered) {
                    writer.put(numbers.tl0PicIdx());
                    writer.put(tid << 6);
                }
                int len = Math.min(writer.room(), data.length - off);
                writer.put(data, off, len);
                off += len;
                writer.emit(out, off == data.length);
            } while (off < data.length);
            numbers.sent();
        }
    }

    private static final class Vp8Depacketizer implements Depacketizer {

        private final Descriptor descriptor = new Descriptor();

        @Override
        public Codec codec() {
            return Codec.VP8;
        }

        @Override
        public boolean isFrameStart(ByteBuffer payload) {
            return payload.hasRemaining() && (u8(payload, 0) & 0x17) == 0x10;     // S=1, PID=0; no parse per packet
        }

        @Override
        public boolean isFrameEnd(ByteBuffer payload, boolean marker) {
            return marker;
        }

        /** The P bit of the VP8 frame tag (RFC 6386 section 9.1) is 0 for a key frame. */
        @Override
        public boolean isKeyFrame(ByteBuffer payload) {
            try {
                Descriptor d = descriptor.parse(payload);
                return d.frameStart() && d.length() < payload.remaining() && (u8(payload, d.length()) & 1) == 0;
            } catch (ParseException e) {
                return false;
            }
        }

        @Override
        public EncodedFrame depacketize(List<ByteBuffer> payloads, long timestamp) throws ParseException {
            Payloads.checkCount(payloads);
            int n = payloads.size();
            Descriptor d = descriptor.parse(payloads.get(0));
            if (!d.frameStart()) {
                throw new ParseException("VP8: first packet does not begin a frame");
            }
            int pictureId = d.pictureId();
            int tid = d.tid();
            int total = payloads.get(0).remaining() - d.length();
            for (int k = 1; k < n; k++) {
                ByteBuffer p = payloads.get(k);
                d.parse(p);
                if (d.frameStart() || d.pictureId() != pictureId) {
                    throw new ParseException("VP8: packets of more than one frame");
                }
                total += p.remaining() - d.length();
            }
            FrameBuilder f = new FrameBuilder(total);
            for (int k = 0; k < n; k++) {
                ByteBuffer p = payloads.get(k);
                int skip = d.parse(p).length();
                f.put(p, skip, p.remaining() - skip);
            }
            byte[] data = f.toArray();
            boolean key = checkFrameTag(data);
            return new EncodedFrame(Codec.VP8, data, timestamp, key, Math.max(tid, 0), 0);
        }

        /** RFC 6386 section 9.1: the frame tag, and for a key frame the start code; returns whether key. */
        private static boolean checkFrameTag(byte[] d) throws ParseException {
            if (d.length < 3) {
                throw new ParseException("VP8: frame shorter than its tag");
            }
            boolean key = (d[0] & 1) == 0;
            int firstPartition = ((d[0] & 0xFF) >>> 5) | (d[1] & 0xFF) << 3 | (d[2] & 0xFF) << 11;
            int header = key ? 10 : 3;
            if (key && (d.length < 10 || d[3] != (byte) 0x9d || d[4] != 0x01 || d[5] != 0x2a)) {
                throw new ParseException("VP8: key frame without its start code");
            }
            if (firstPartition > d.length - header) {
                throw new ParseException("VP8: first partition longer than the frame");
            }
            return key;
        }
    }
}
