package org.rtc4j.rtp.payload.internal;

import static org.rtc4j.rtp.payload.internal.Payloads.u8;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Depacketizer;
import org.rtc4j.rtp.payload.Packetizer;

/**
 * AV1, the AOM "RTP Payload Format for AV1" (v1.0.0). A payload is the aggregation header, then OBU elements:
 * OBUs without their size field, each but the last prefixed by its LEB128 length when W is 1-3, all of them when
 * W is 0; the first and last may be fragments of an OBU continued from or in the neighbouring packet.
 *
 * <pre>
 *  0 1 2 3 4 5 6 7          OBU header (AV1 spec 5.3.1)
 * +-+-+-+-+-+-+-+-+         +-+-+-+-+-+-+-+-+ +-+-+-+-+-+-+-+-+
 * |Z|Y| W |N|-|-|-|         |F| type  |X|S|R| | TID | SID | R | (if X)
 * +-+-+-+-+-+-+-+-+         +-+-+-+-+-+-+-+-+ +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * We aggregate a whole temporal unit's OBUs into as few packets as fit (section 5), drop temporal delimiters, tile
 * lists and padding, never mix OBUs of different layers in one packet, and set N on the first packet of a key
 * frame that carries a sequence header. Received temporal units are rebuilt in the low-overhead bitstream format
 * (every OBU with its size field), led by a temporal delimiter.
 */
public final class Av1Format {

    static final int OBU_SEQUENCE_HEADER = 1;
    static final int OBU_TEMPORAL_DELIMITER = 2;
    static final int OBU_FRAME_HEADER = 3;
    static final int OBU_METADATA = 5;
    static final int OBU_FRAME = 6;
    static final int OBU_TILE_LIST = 8;
    static final int OBU_PADDING = 15;

    private Av1Format() {
    }

    public static Packetizer packetizer() {
        return new Av1Packetizer();
    }

    public static Depacketizer depacketizer() {
        return new Av1Depacketizer();
    }

    static int obuType(int header) {
        return (header >>> 3) & 0xF;
    }

    /** Types the payload format removes (section 5). */
    static boolean dropped(int type) {
        return type == OBU_TEMPORAL_DELIMITER || type == OBU_TILE_LIST || type == OBU_PADDING;
    }

    private static final class Av1Packetizer implements Packetizer {

        private final PayloadWriter writer = new PayloadWriter();
        // The temporal unit's OBUs: where each header and payload is, and its layer (the extension byte or -1).
        private int[] headerAt = new int[16];
        private int[] headerLength = new int[16];
        private int[] payloadAt = new int[16];
        private int[] elementLength = new int[16];
        private int[] layer = new int[16];
        private int count;
        // The OBU elements planned for the packet being filled: OBU index, first byte, length.
        private int[] planObu = new int[16];
        private int[] planFrom = new int[16];
        private int[] planLength = new int[16];
        private final int[] pos = new int[1];

        @Override
        public void packetize(EncodedFrame frame, int maxPayloadSize, PayloadSink out) {
            Payloads.checkFrame(frame, Codec.AV1, maxPayloadSize, 3);
            byte[] data = frame.data();
            boolean sequenceHeader = parse(data);
            boolean newSequence = frame.keyFrame() && sequenceHeader;
            int obu = 0;
            int sent = 0;                                      // bytes of OBU obu already sent
            if (count == 0) {
                throw new IllegalArgumentException("AV1 temporal unit without an OBU to send");
            }
            while (obu < count) {
                writer.begin(maxPayloadSize);
                writer.put(0);
                boolean continued = sent > 0;
                int planned = 0;
                int used = 1;
                boolean fragmentLast = false;
                int packetLayer = -2;                          // -2: none yet; -1: OBUs without extension
                while (obu < count) {
                    int remaining = elementLength[obu] - sent;
                    if (planned > 0 && !sameLayer(packetLayer, layer[obu])) {
                        break;
                    }
                    int room = maxPayloadSize - used;
                    int take;
                    if (Leb128.size(remaining) + remaining <= room) {
                        take = remaining;
                    } else if (planned < 3 && remaining <= room) {
                        take = remaining;                      // the last element, its length left out (W)
                    } else if (planned < 3) {
                        take = room;
                    } else {
                        take = room - 1;
                        while (take > 0 && Leb128.size(take) + take > room) {
                            take--;
                        }
                    }
                    if (take <= 0) {
                        break;
                    }
                    plan(planned++, obu, sent, take);
                    used += Leb128.size(take) + take;
                    packetLayer = layer[obu];
                    if (take < remaining) {
                        sent += take;
                        fragmentLast = true;
                        break;
                    }
                    sent = 0;
                    obu++;
                }
                int w = planned <= 3 ? planned : 0;
                for (int i = 0; i < planned; i++) {
                    if (w == 0 || i < planned - 1) {
                        writer.putLeb128(planLength[i]);
                    }
                    putElement(data, planObu[i], planFrom[i], planLength[i]);
                }
                writer.set(0, (continued ? 0x80 : 0) | (fragmentLast ? 0x40 : 0) | w << 4
                        | (newSequence ? 0x08 : 0));
                newSequence = false;
                writer.emit(out, obu == count);
            }
        }

        /** OBUs of one layer per packet; those without a layer only at its beginning (section 5). */
        private static boolean sameLayer(int packetLayer, int obuLayer) {
            return packetLayer == obuLayer || packetLayer == -1 && obuLayer >= 0;
        }

        private void plan(int i, int obu, int from, int length) {
            if (i == planObu.length) {
                planObu = Arrays.copyOf(planObu, i * 2);
                planFrom = Arrays.copyOf(planFrom, i * 2);
                planLength = Arrays.copyOf(planLength, i * 2);
            }
            planObu[i] = obu;
            planFrom[i] = from;
            planLength[i] = length;
        }

        /** Bytes [from, from + length) of an OBU element: the header without its size flag, then the payload. */
        private void putElement(byte[] data, int obu, int from, int length) {
            int h = headerLength[obu];
            int end = from + length;
            for (; from < Math.min(h, end); from++) {
                int b = data[headerAt[obu] + from];
                writer.put(from == 0 ? b & ~0x02 : b);
            }
            if (end > from) {
                writer.put(data, payloadAt[obu] + from - h, end - from);
            }
        }

        /** Finds the OBUs to send; returns whether there is a sequence header. */
        private boolean parse(byte[] data) {
            count = 0;
            boolean sequenceHeader = false;
            pos[0] = 0;
            while (pos[0] < data.length) {
                int at = pos[0];
                int header = data[at] & 0xFF;
                if ((header & 0x80) != 0) {
                    throw new IllegalArgumentException("AV1 OBU with its forbidden bit set");
                }
                int h = (header & 0x04) != 0 ? 2 : 1;
                if (at + h > data.length) {
                    throw new IllegalArgumentException("truncated AV1 OBU header");
                }
                pos[0] = at + h;
                int size;
                if ((header & 0x02) != 0) {
                    try {
                        size = Leb128.read(data, pos, data.length);
                    } catch (ParseException e) {
                        throw new IllegalArgumentException("AV1 OBU size: " + e.getMessage());
                    }
                } else {
                    size = data.length - pos[0];
                }
                if (size > data.length - pos[0]) {
                    throw new IllegalArgumentException("AV1 OBU larger than the temporal unit");
                }
                int type = obuType(header);
                if (!dropped(type)) {
                    add(at, h, pos[0], h + size, h == 2 ? data[at + 1] & 0xFF : -1);
                    sequenceHeader |= type == OBU_SEQUENCE_HEADER;
                }
                pos[0] += size;
            }
            return sequenceHeader;
        }

        private void add(int header, int h, int payload, int length, int extension) {
            if (count == headerAt.length) {
                headerAt = Arrays.copyOf(headerAt, count * 2);
                headerLength = Arrays.copyOf(headerLength, count * 2);
                payloadAt = Arrays.copyOf(payloadAt, count * 2);
                elementLength = Arrays.copyOf(elementLength, count * 2);
                layer = Arrays.copyOf(layer, count * 2);
            }
            headerAt[count] = header;
            headerLength[count] = h;
            payloadAt[count] = payload;
            elementLength[count] = length;
            layer[count] = extension < 0 ? -1 : extension >>> 3;   // temporal and spatial ID
            count++;
        }
    }

    private static final class Av1Depacketizer implements Depacketizer {

        /** The OBU elements of a frame joined (fragments put together), and where each OBU lies in them. */
        private byte[] joined = new byte[0];
        private int[] obuStart = new int[16];
        private int[] obuEnd = new int[16];

        @Override
        public Codec codec() {
            return Codec.AV1;
        }

        /**
         * The format has no begin bit: a packet begins a temporal unit when it continues no fragment and starts a
         * new coded video sequence or with an OBU that leads a temporal unit. The timestamp change remains the
         * surer sign.
         */
        @Override
        public boolean isFrameStart(ByteBuffer p) {
            if (p.remaining() < 2) {
                return false;
            }
            int agg = u8(p, 0);
            if ((agg & 0x80) != 0) {
                return false;
            }
            if ((agg & 0x08) != 0) {
                return true;
            }
            int type = firstObuType(p, agg);
            return type == OBU_SEQUENCE_HEADER || type == OBU_TEMPORAL_DELIMITER || type == OBU_FRAME_HEADER
                    || type == OBU_METADATA || type == OBU_FRAME;
        }

        /** The aggregation header has no mark on a temporal unit's first packet (N marks only a new sequence). */
        @Override
        public boolean marksFrameStart() {
            return false;
        }

        @Override
        public boolean isFrameEnd(ByteBuffer payload, boolean marker) {
            return marker;
        }

        @Override
        public boolean isKeyFrame(ByteBuffer p) {
            if (p.remaining() < 2) {
                return false;
            }
            int agg = u8(p, 0);
            return (agg & 0x80) == 0 && ((agg & 0x08) != 0 || firstObuType(p, agg) == OBU_SEQUENCE_HEADER);
        }

        private static int firstObuType(ByteBuffer p, int agg) {
            int n = p.remaining();
            int i = 1;
            if ((agg & 0x30) != 0x10) {                        // W != 1: the first element has a length
                while (i < n && (u8(p, i) & 0x80) != 0) {
                    i++;
                }
                i++;
            }
            return i < n ? obuType(u8(p, i)) : -1;
        }

        @Override
        public EncodedFrame depacketize(List<ByteBuffer> payloads, long timestamp) throws ParseException {
            Payloads.checkCount(payloads);
            int count = join(payloads);
            boolean key = (u8(payloads.get(0), 0) & 0x08) != 0;
            int size = 2;                                      // the temporal delimiter we lead with
            for (int k = 0; k < count; k++) {
                size += obuSize(k);
            }
            FrameBuilder out = new FrameBuilder(size);
            out.put(OBU_TEMPORAL_DELIMITER << 3 | 0x02);
            out.put(0);
            int temporal = 0;
            int spatial = 0;
            int[] pos = new int[1];
            for (int k = 0; k < count; k++) {
                int s = obuStart[k];
                int header = joined[s] & 0xFF;
                int type = obuType(header);
                if (dropped(type)) {
                    continue;
                }
                key |= type == OBU_SEQUENCE_HEADER;
                int h = (header & 0x04) != 0 ? 2 : 1;
                if (h == 2) {
                    int ext = joined[s + 1] & 0xFF;
                    temporal = Math.max(temporal, ext >>> 5);
                    spatial = Math.max(spatial, (ext >>> 3) & 3);
                }
                pos[0] = s + h;
                int payload = payloadLength(k, pos);
                out.put(header | 0x02);
                out.put(joined, s + 1, h - 1);
                out.putLeb128(payload);
                out.put(joined, pos[0], payload);
            }
            if (out.length() == 2) {
                throw new ParseException("AV1: temporal unit without an OBU");
            }
            return new EncodedFrame(Codec.AV1, out.toArray(), timestamp, key, temporal, spatial);
        }

        /** Bytes OBU k takes in the low-overhead format (0 if dropped); checks its header. */
        private int obuSize(int k) throws ParseException {
            int s = obuStart[k];
            int header = joined[s] & 0xFF;
            if ((header & 0x80) != 0) {
                throw new ParseException("AV1: OBU with its forbidden bit set");
            }
            int h = (header & 0x04) != 0 ? 2 : 1;
            if (s + h > obuEnd[k]) {
                throw new ParseException("AV1: truncated OBU header");
            }
            if (dropped(obuType(header))) {
                return 0;
            }
            int[] pos = {s + h};
            int payload = payloadLength(k, pos);
            return h + Leb128.size(payload) + payload;
        }

        /** The payload length of OBU k, its header ending at pos[0]; skips a size field if the sender left one. */
        private int payloadLength(int k, int[] pos) throws ParseException {
            int header = joined[obuStart[k]] & 0xFF;
            int rest = obuEnd[k] - pos[0];
            if ((header & 0x02) == 0) {
                return rest;
            }
            int size = Leb128.read(joined, pos, obuEnd[k]);
            if (size != obuEnd[k] - pos[0]) {
                throw new ParseException("AV1: OBU size field disagrees with its element");
            }
            return size;
        }

        /** Joins the OBU elements of all payloads, fragments put together; returns the number of OBUs. */
        private int join(List<ByteBuffer> payloads) throws ParseException {
            int total = 0;
            for (ByteBuffer p : payloads) {
                total += p.remaining();
            }
            if (joined.length < total) {
                joined = new byte[total];
            }
            int length = 0;
            int count = 0;
            boolean open = false;                              // the last OBU continues in the next packet
            for (ByteBuffer p : payloads) {
                int n = p.remaining();
                if (n < 2) {
                    throw new ParseException("AV1: payload without an OBU element");
                }
                int agg = u8(p, 0);
                boolean z = (agg & 0x80) != 0;
                int w = (agg >>> 4) & 3;
                if (z != open) {
                    throw new ParseException(z ? "AV1: continuation of no fragment" : "AV1: fragment not continued");
                }
                int[] pos = {1};
                int element = 0;
                while (pos[0] < n) {
                    element++;
                    int len;
                    if (w == 0 || element < w) {
                        len = readLength(p, pos, n);
                        if (len > n - pos[0]) {
                            throw new ParseException("AV1: OBU element longer than its packet");
                        }
                    } else if (element == w) {
                        len = n - pos[0];
                    } else {
                        throw new ParseException("AV1: more OBU elements than W says");
                    }
                    boolean continuation = element == 1 && z;
                    if (!continuation) {
                        if (count == obuStart.length) {
                            obuStart = Arrays.copyOf(obuStart, count * 2);
                            obuEnd = Arrays.copyOf(obuEnd, count * 2);
                        }
                        obuStart[count++] = length;
                    }
                    p.get(p.position() + pos[0], joined, length, len);
                    length += len;
                    obuEnd[count - 1] = length;
                    pos[0] += len;
                    if (obuEnd[count - 1] == obuStart[count - 1]) {
                        throw new ParseException("AV1: empty OBU element");
                    }
                }
                if (w != 0 && element != w) {
                    throw new ParseException("AV1: fewer OBU elements than W says");
                }
                open = (agg & 0x40) != 0;
            }
            if (open) {
                throw new ParseException("AV1: last OBU fragment not continued");
            }
            return count;
        }

        private static int readLength(ByteBuffer p, int[] pos, int n) throws ParseException {
            long value = 0;
            for (int i = 0; i < 8; i++) {
                if (pos[0] >= n) {
                    throw new ParseException("AV1: truncated element length");
                }
                int b = u8(p, pos[0]++);
                value |= (long) (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    return (int) Math.min(value, Integer.MAX_VALUE);
                }
            }
            throw new ParseException("AV1: element length longer than 8 bytes");
        }
    }
}
