package org.rtc4j.rtp.session;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Depacketizer;
import org.rtc4j.rtp.payload.Packetizer;

/**
 * A payload format for session tests that makes every frame checkable: a one-byte header (start, end, key bits)
 * before each piece, and frame contents that follow from the frame's index, which opens the frame.
 */
final class TestFormat implements Packetizer, Depacketizer {

    static final int START = 1;
    static final int END = 2;
    static final int KEY = 4;
    private final Codec codec;
    private final ByteBuffer scratch = ByteBuffer.allocate(2000);

    TestFormat(Codec codec) {
        this.codec = codec;
    }

    /** The frame of index {@code i}: 4 bytes of index, then bytes that follow from it. */
    static byte[] content(int i, int size) {
        byte[] b = new byte[Math.max(4, size)];
        new SplittableRandom(i).nextBytes(b);
        ByteBuffer.wrap(b).putInt(i);
        return b;
    }

    static int index(EncodedFrame f) {
        return ByteBuffer.wrap(f.data()).getInt();
    }

    @Override
    public void packetize(EncodedFrame frame, int maxPayloadSize, PayloadSink out) {
        byte[] d = frame.data();
        int room = maxPayloadSize - 1;
        for (int at = 0; at < d.length; at += room) {
            int n = Math.min(room, d.length - at);
            boolean last = at + n == d.length;
            scratch.clear();
            scratch.put((byte) ((at == 0 ? START : 0) | (last ? END : 0) | (frame.keyFrame() ? KEY : 0)));
            scratch.put(d, at, n).flip();
            out.payload(scratch, last);
        }
    }

    @Override
    public Codec codec() {
        return codec;
    }

    @Override
    public boolean isFrameStart(ByteBuffer payload) {
        return payload.hasRemaining() && (payload.get(payload.position()) & START) != 0;
    }

    @Override
    public boolean isFrameEnd(ByteBuffer payload, boolean marker) {
        return payload.hasRemaining() && (payload.get(payload.position()) & END) != 0;
    }

    @Override
    public boolean isKeyFrame(ByteBuffer payload) {
        return payload.hasRemaining() && (payload.get(payload.position()) & KEY) != 0;
    }

    @Override
    public EncodedFrame depacketize(List<ByteBuffer> payloads, long timestamp) throws ParseException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean key = false;
        for (int i = 0; i < payloads.size(); i++) {
            ByteBuffer p = payloads.get(i);
            if (!p.hasRemaining()) {
                throw new ParseException("empty payload");
            }
            int flags = p.get(p.position());
            if (i == 0) {
                key = (flags & KEY) != 0;
            }
            out.write(p.array(), p.arrayOffset() + p.position() + 1, p.remaining() - 1);
        }
        return new EncodedFrame(codec, out.toByteArray(), timestamp, key);
    }
}
