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
 * VP9, RFC 9628. The payload descriptor (section 4.2), in flexible (F=1) and non-flexible (F=0) mode:
 *
 * <pre>
 *        0 1 2 3 4 5 6 7
 *       +-+-+-+-+-+-+-+-+
 *       |I|P|L|F|B|E|V|Z| (REQUIRED)
 *       +-+-+-+-+-+-+-+-+
 *  I:   |M| PICTURE ID  | (RECOMMENDED)
 *       +-+-+-+-+-+-+-+-+
 *  M:   | EXTENDED PID  | (RECOMMENDED)
 *       +-+-+-+-+-+-+-+-+
 *  L:   | TID |U| SID |D| (CONDITIONALLY RECOMMENDED)
 *       +-+-+-+-+-+-+-+-+
 *       |   TL0PICIDX   | (non-flexible mode only)
 *       +-+-+-+-+-+-+-+-+                             -\
 *  P,F: | P_DIFF      |N| (flexible mode only)        - up to 3 times
 *       +-+-+-+-+-+-+-+-+                             -/
 *  V:   | SS            | scalability structure (section 4.2.1)
 *       | ..            |
 *       +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * We send in non-flexible mode with a 15-bit picture ID, and on key frames a scalability structure with the
 * resolution; layer indices (L) once a frame with a layer has been sent. Both modes are read.
 */
public final class Vp9Format {

    private Vp9Format() {
    }

    public static Packetizer packetizer(int firstPictureId, int firstTl0PicIdx) {
        return new Vp9Packetizer(firstPictureId, firstTl0PicIdx);
    }

    public static Depacketizer depacketizer() {
        return new Vp9Depacketizer();
    }

    /** The fields of one payload descriptor; absent optional fields are -1. */
    record Descriptor(int length, boolean interPredicted, boolean layers, boolean begin, boolean end,
                      int pictureId, int tid, int sid) {

        static Descriptor parse(ByteBuffer p) throws ParseException {
            int n = p.remaining();
            if (n < 1) {
                throw new ParseException("VP9: empty payload");
            }
            int b0 = u8(p, 0);
            int[] pos = {1};
            int pictureId = -1;
            int tid = -1;
            int sid = -1;
            boolean flexible = (b0 & 0x10) != 0;
            if ((b0 & 0x80) != 0) {
                int m = next(p, pos, n);
                pictureId = (m & 0x80) != 0 ? (m & 0x7F) << 8 | next(p, pos, n) : m;
            }
            if ((b0 & 0x20) != 0) {
                int l = next(p, pos, n);
                tid = l >>> 5;
                sid = (l >>> 1) & 7;
                if (!flexible) {
                    next(p, pos, n);                           // TL0PICIDX
                }
            }
            if (flexible && (b0 & 0x40) != 0) {
                int count = 0;
                int pdiff;
                do {
                    pdiff = next(p, pos, n);
                    if (++count > 3) {
                        throw new ParseException("VP9: more than 3 P_DIFF");
                    }
                } while ((pdiff & 1) != 0);
            }
            if ((b0 & 0x02) != 0) {
                skipScalabilityStructure(p, pos, n);
            }
            return new Descriptor(pos[0], (b0 & 0x40) != 0, (b0 & 0x20) != 0, (b0 & 0x08) != 0, (b0 & 0x04) != 0,
                    pictureId, tid, sid);
        }

        /** Section 4.2.1: N_S|Y|G, the resolutions if Y, the picture group if G. */
        private static void skipScalabilityStructure(ByteBuffer p, int[] pos, int n) throws ParseException {
            int ss = next(p, pos, n);
            int layers = (ss >>> 5) + 1;
            if ((ss & 0x10) != 0) {
                skip(pos, n, 4 * layers);
            }
            if ((ss & 0x08) != 0) {
                int groups = next(p, pos, n);
                for (int i = 0; i < groups; i++) {
                    int g = next(p, pos, n);
                    skip(pos, n, (g >>> 2) & 3);               // R reference indices
                }
            }
        }

        private static int next(ByteBuffer p, int[] pos, int n) throws ParseException {
            if (pos[0] >= n) {
                throw new ParseException("VP9: truncated payload descriptor");
            }
            return u8(p, pos[0]++);
        }

        private static void skip(int[] pos, int n, int count) throws ParseException {
            if (pos[0] + count > n) {
                throw new ParseException("VP9: truncated scalability structure");
            }
            pos[0] += count;
        }

        /** A picture begins with the first layer frame of its lowest spatial layer. */
        boolean frameStart() {
            return begin && sid <= 0;
        }
    }

    private static final class Vp9Packetizer implements Packetizer {

        private final PayloadWriter writer = new PayloadWriter();
        private final PictureNumbering numbers;

        Vp9Packetizer(int pictureId, int tl0PicIdx) {
            numbers = new PictureNumbering(pictureId, tl0PicIdx);
        }

        @Override
        public void packetize(EncodedFrame frame, int maxPayloadSize, PayloadSink out) {
            Payloads.checkFrame(frame, Codec.VP9, maxPayloadSize, 14);
            int tid = Math.min(frame.temporalLayer(), 7);
            int sid = Math.min(frame.spatialLayer(), 7);
            numbers.frame(tid == 0 && sid == 0, tid > 0 || sid > 0);
            boolean layered = numbers.layered();
            byte[] data = frame.data();
            int[] size = frame.keyFrame() && !layered ? Vp9Header.keyFrameSize(data) : null;
            int off = 0;
            do {
                writer.begin(maxPayloadSize);
                boolean first = off == 0;
                writer.put(0x80 | (frame.keyFrame() ? 0 : 0x40) | (layered ? 0x20 : 0) | (first ? 0x08 : 0)
                        | (first && size != null ? 0x02 : 0));
                numbers.write(writer);
                if (layered) {
                    writer.put(tid << 5 | sid << 1 | (sid > 0 ? 1 : 0));
                    writer.put(numbers.tl0PicIdx());
                }
                if (first && size != null) {                   // one spatial layer (N_S=0), Y=1, G=0
                    writer.put(0x10);
                    writer.put(size[0] >>> 8);
                    writer.put(size[0] & 0xFF);
                    writer.put(size[1] >>> 8);
                    writer.put(size[1] & 0xFF);
                }
                int len = Math.min(writer.room(), data.length - off);
                writer.put(data, off, len);
                off += len;
                if (off == data.length) {
                    writer.set(0, 0x04 | writer.byteAt(0));    // E
                }
                writer.emit(out, off == data.length);
            } while (off < data.length);
            numbers.sent();
        }
    }

    private static final class Vp9Depacketizer implements Depacketizer {

        @Override
        public Codec codec() {
            return Codec.VP9;
        }

        /** Told from the first bytes only, without a parse per packet. */
        @Override
        public boolean isFrameStart(ByteBuffer payload) {
            int n = payload.remaining();
            if (n == 0 || (u8(payload, 0) & 0x08) == 0) {
                return false;
            }
            int b0 = u8(payload, 0);
            if ((b0 & 0x20) == 0) {
                return true;                                   // no layer indices: one spatial layer
            }
            int l = (b0 & 0x80) == 0 ? 1 : n > 1 && (u8(payload, 1) & 0x80) != 0 ? 3 : 2;
            return l < n && (u8(payload, l) & 0x0E) == 0;      // SID 0
        }

        /** The marker ends a picture; without layers, so does the end of its one frame (E). */
        @Override
        public boolean isFrameEnd(ByteBuffer payload, boolean marker) {
            return marker || payload.hasRemaining() && (u8(payload, 0) & 0x24) == 0x04;
        }

        /** Not inter-picture predicted, and the bitstream says key frame (senders such as ffmpeg leave P at 0). */
        @Override
        public boolean isKeyFrame(ByteBuffer payload) {
            try {
                Descriptor d = Descriptor.parse(payload);
                return d.frameStart() && !d.interPredicted() && Vp9Header.isKeyFrame(payload, d.length());
            } catch (ParseException e) {
                return false;
            }
        }

        @Override
        public EncodedFrame depacketize(List<ByteBuffer> payloads, long timestamp) throws ParseException {
            Payloads.checkCount(payloads);
            int total = 0;
            Descriptor first = null;
            Descriptor previous = null;
            int maxSid = 0;
            for (ByteBuffer p : payloads) {
                Descriptor d = Descriptor.parse(p);
                if (previous == null ? !d.frameStart() : d.begin() != previous.end()) {
                    throw new ParseException("VP9: layer frames do not begin and end in turn");
                }
                if (first == null) {
                    first = d;
                } else if (d.pictureId() != first.pictureId()) {
                    throw new ParseException("VP9: packets of more than one picture");
                }
                maxSid = Math.max(maxSid, d.sid());
                total += p.remaining() - d.length();
                previous = d;
            }
            if (!previous.end()) {
                throw new ParseException("VP9: picture without its end");
            }
            FrameBuilder f = new FrameBuilder(total);
            for (ByteBuffer p : payloads) {
                int skip = Descriptor.parse(p).length();
                f.put(p, skip, p.remaining() - skip);
            }
            byte[] data = f.toArray();
            if (data.length == 0) {
                throw new ParseException("VP9: empty frame");
            }
            boolean key = !first.interPredicted() && Vp9Header.isKeyFrame(ByteBuffer.wrap(data), 0);
            return new EncodedFrame(Codec.VP9, data, timestamp, key, Math.max(first.tid(), 0), maxSid);
        }
    }
}
