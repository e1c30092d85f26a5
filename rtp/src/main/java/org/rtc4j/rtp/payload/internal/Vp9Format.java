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

    /**
     * The fields of one payload descriptor, absent optional ones -1: one reused instance per depacketizer, so that
     * reading a packet allocates nothing.
     */
    static final class Descriptor {
        private int length;
        private boolean interPredicted;
        private boolean begin;
        private boolean end;
        private int pictureId;
        private int tid;
        private int sid;
        private ByteBuffer p;
        private int n;

        /** Reads the descriptor at {@code payload}'s position into this instance, and returns it. */
        Descriptor parse(ByteBuffer payload) throws ParseException {
            p = payload;
            n = payload.remaining();
            if (n < 1) {
                throw new ParseException("VP9: empty payload");
            }
            int b0 = u8(payload, 0);
            length = 1;
            pictureId = -1;
            tid = -1;
            sid = -1;
            boolean flexible = (b0 & 0x10) != 0;
            if ((b0 & 0x80) != 0) {
                int m = next();
                pictureId = (m & 0x80) != 0 ? (m & 0x7F) << 8 | next() : m;
            }
            if ((b0 & 0x20) != 0) {
                int l = next();
                tid = l >>> 5;
                sid = (l >>> 1) & 7;
                if (!flexible) {
                    next();                                    // TL0PICIDX
                }
            }
            if (flexible && (b0 & 0x40) != 0) {
                int count = 0;
                int pdiff;
                do {
                    pdiff = next();
                    if (++count > 3) {
                        throw new ParseException("VP9: more than 3 P_DIFF");
                    }
                } while ((pdiff & 1) != 0);
            }
            if ((b0 & 0x02) != 0) {
                skipScalabilityStructure();
            }
            interPredicted = (b0 & 0x40) != 0;
            begin = (b0 & 0x08) != 0;
            end = (b0 & 0x04) != 0;
            p = null;
            return this;
        }

        /** Section 4.2.1: N_S|Y|G, the resolutions if Y, the picture group if G. */
        private void skipScalabilityStructure() throws ParseException {
            int ss = next();
            int layers = (ss >>> 5) + 1;
            if ((ss & 0x10) != 0) {
                skip(4 * layers);
            }
            if ((ss & 0x08) != 0) {
                int groups = next();
                for (int i = 0; i < groups; i++) {
                    int g = next();
                    skip((g >>> 2) & 3);                       // R reference indices
                }
            }
        }

        private int next() throws ParseException {
            if (length >= n) {
                throw new ParseException("VP9: truncated payload descriptor");
            }
            return u8(p, length++);
        }

        private void skip(int count) throws ParseException {
            if (length + count > n) {
                throw new ParseException("VP9: truncated scalability structure");
            }
            length += count;
        }

        int length() {
            return length;
        }

        /** A picture begins with the first layer frame of its lowest spatial layer. */
        boolean frameStart() {
            return begin && sid <= 0;
        }
    }

    private static final class Vp9Packetizer implements Packetizer {

        private final PayloadWriter writer = new PayloadWriter();
        private final Vp9Header.Bits bits = new Vp9Header.Bits();
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
            long size = frame.keyFrame() && !layered ? Vp9Header.keyFrameSize(data, bits) : -1;
            int off = 0;
            do {
                writer.begin(maxPayloadSize);
                boolean first = off == 0;
                writer.put(0x80 | (frame.keyFrame() ? 0 : 0x40) | (layered ? 0x20 : 0) | (first ? 0x08 : 0)
                        | (first && size >= 0 ? 0x02 : 0));
                numbers.write(writer);
                if (layered) {
                    writer.put(tid << 5 | sid << 1 | (sid > 0 ? 1 : 0));
                    writer.put(numbers.tl0PicIdx());
                }
                if (first && size >= 0) {                      // one spatial layer (N_S=0), Y=1, G=0
                    writer.put(0x10);
                    writer.put((int) (size >>> 24) & 0xFF);    // width, then height, 16 bits each
                    writer.put((int) (size >>> 16) & 0xFF);
                    writer.put((int) (size >>> 8) & 0xFF);
                    writer.put((int) size & 0xFF);
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

        private final Descriptor descriptor = new Descriptor();

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
                Descriptor d = descriptor.parse(payload);
                return d.frameStart() && !d.interPredicted && Vp9Header.isKeyFrame(payload, d.length());
            } catch (ParseException e) {
                return false;
            }
        }

        @Override
        public EncodedFrame depacketize(List<ByteBuffer> payloads, long timestamp) throws ParseException {
            Payloads.checkCount(payloads);
            Descriptor d = descriptor;
            int total = 0;
            int pictureId = -1;
            int tid = -1;
            boolean interPredicted = false;
            boolean previousEnd = false;
            int maxSid = 0;
            for (int k = 0; k < payloads.size(); k++) {
                ByteBuffer p = payloads.get(k);
                d.parse(p);
                if (k == 0 ? !d.frameStart() : d.begin != previousEnd) {
                    throw new ParseException("VP9: layer frames do not begin and end in turn");
                }
                if (k == 0) {
                    pictureId = d.pictureId;
                    tid = d.tid;
                    interPredicted = d.interPredicted;
                } else if (d.pictureId != pictureId) {
                    throw new ParseException("VP9: packets of more than one picture");
                }
                maxSid = Math.max(maxSid, d.sid);
                total += p.remaining() - d.length();
                previousEnd = d.end;
            }
            if (!previousEnd) {
                throw new ParseException("VP9: picture without its end");
            }
            FrameBuilder f = new FrameBuilder(total);
            for (int k = 0; k < payloads.size(); k++) {
                ByteBuffer p = payloads.get(k);
                int skip = d.parse(p).length();
                f.put(p, skip, p.remaining() - skip);
            }
            byte[] data = f.toArray();
            if (data.length == 0) {
                throw new ParseException("VP9: empty frame");
            }
            boolean key = !interPredicted && Vp9Header.isKeyFrame(data, 0);
            return new EncodedFrame(Codec.VP9, data, timestamp, key, Math.max(tid, 0), maxSid);
        }
    }
}
