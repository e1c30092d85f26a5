package org.rtc4j.rtp.payload.internal;

import java.nio.ByteBuffer;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Depacketizer;
import org.rtc4j.rtp.payload.Packetizer;

/**
 * Audio whose RTP payload is exactly one frame, unchanged (Opus, RFC 7587 section 4.2; G.711 and G.722, RFC 3551
 * section 4.5): every packet begins and ends a frame, and every frame stands alone. Stateless, so one instance may
 * serve both directions. The marker is left false: RFC 3551 section 4.1 sets it on the first packet of a
 * talkspurt, which only the sender's session knows.
 */
public class WholeFramePayload implements Packetizer, Depacketizer {

    /** What a payload must look like to be a frame of the codec. */
    interface Validator {
        void validate(ByteBuffer payload) throws ParseException;
    }

    private final Codec codec;
    private final Validator validator;
    private final PayloadWriter writer = new PayloadWriter();

    WholeFramePayload(Codec codec, Validator validator) {
        this.codec = codec;
        this.validator = validator;
    }

    @Override
    public Codec codec() {
        return codec;
    }

    /** @throws IllegalArgumentException if the frame is larger than a payload: audio frames are never split */
    @Override
    public void packetize(EncodedFrame frame, int maxPayloadSize, PayloadSink out) {
        Payloads.checkFrame(frame, codec, maxPayloadSize, 1);
        byte[] data = frame.data();
        if (data.length > maxPayloadSize) {
            throw new IllegalArgumentException(codec + " frame of " + data.length + " bytes exceeds the payload size "
                    + maxPayloadSize + " (audio frames are not fragmented)");
        }
        writer.begin(data.length);
        writer.put(data, 0, data.length);
        writer.emit(out, false);
    }

    @Override
    public boolean isFrameStart(ByteBuffer payload) {
        return true;
    }

    @Override
    public boolean isFrameEnd(ByteBuffer payload, boolean marker) {
        return true;
    }

    @Override
    public boolean isKeyFrame(ByteBuffer payload) {
        return true;
    }

    @Override
    public EncodedFrame depacketize(List<ByteBuffer> payloads, long timestamp) throws ParseException {
        if (payloads.size() != 1) {
            throw new ParseException(codec + ": one packet per frame, got " + payloads.size());
        }
        ByteBuffer p = payloads.get(0);
        if (!p.hasRemaining()) {
            throw new ParseException(codec + ": empty payload");
        }
        validator.validate(p);
        FrameBuilder f = new FrameBuilder(p.remaining());
        f.put(p, 0, p.remaining());
        return new EncodedFrame(codec, f.toArray(), timestamp, true);
    }
}
