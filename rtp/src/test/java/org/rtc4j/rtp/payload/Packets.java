package org.rtc4j.rtp.payload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.EncodedFrame;

/** Test helper: a packetizer's output kept as copies, and fed back to a depacketizer as a jitter buffer would. */
record Packets(List<byte[]> payloads, List<Boolean> markers) {

    static Packets of(Packetizer packetizer, EncodedFrame frame, int maxPayloadSize) {
        Packets p = new Packets(new ArrayList<>(), new ArrayList<>());
        packetizer.packetize(frame, maxPayloadSize, (payload, marker) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.get(payload.position(), copy);
            if (copy.length > maxPayloadSize) {
                throw new AssertionError("payload of " + copy.length + " > " + maxPayloadSize);
            }
            p.payloads.add(copy);
            p.markers.add(marker);
        });
        return p;
    }

    int size() {
        return payloads.size();
    }

    byte[] get(int i) {
        return payloads.get(i);
    }

    List<ByteBuffer> buffers() {
        return payloads.stream().map(ByteBuffer::wrap).toList();
    }

    /** Checks the boundaries the depacketizer reports, then rebuilds the frame. */
    EncodedFrame depacketize(Depacketizer d, long timestamp) throws ParseException {
        List<ByteBuffer> b = buffers();
        for (int i = 0; i < b.size(); i++) {
            boolean start = d.isFrameStart(b.get(i));
            boolean end = d.isFrameEnd(b.get(i), markers.get(i));
            if (i == 0 && !start) {
                throw new AssertionError("first packet not a frame start");
            }
            if (i == b.size() - 1 && !end) {
                throw new AssertionError("last packet not a frame end");
            }
            if (i < b.size() - 1 && end) {
                throw new AssertionError("packet " + i + " of " + b.size() + " ends the frame");
            }
        }
        return d.depacketize(b, timestamp);
    }
}
