package org.rtc4j.rtp.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.PayloadFormats;

/**
 * Padding-only packets (bandwidth probes, which Chromium sends on the media SSRC when no RTX is negotiated)
 * take sequence numbers between frames: they must lose no frame and ask for no key frame, whether they
 * arrive where the next frame would begin or right after a frame.
 */
class JitterBufferPaddingTest {

    private static final int PT = 102;

    private final List<EncodedFrame> frames = new ArrayList<>();
    private int keyRequests;

    private final JitterBuffer buffer = new JitterBuffer(true,
            new JitterBuffer.Sink() {
                @Override
                public void frame(EncodedFrame frame) {
                    frames.add(frame);
                }

                @Override
                public void keyFrameNeeded() {
                    keyRequests++;
                }

                @Override
                public void recycle(ByteBuffer packet) {
                }
            });
    private final NackTracker nack = new NackTracker(1_000_000_000L);

    {
        buffer.format(PT, PayloadFormats.depacketizer(Codec.H264));
    }

    @ParameterizedTest(name = "padding packets after each frame: {0}")
    @ValueSource(ints = {1, 3})
    void paddingBetweenFramesLosesNothing(int paddingPerFrame) {
        long seq = 5000;
        for (int f = 0; f < 20; f++) {
            long ts = f * 3000L;
            // A single NAL unit packet per frame: an IDR slice (type 5) first, then non-IDR slices (type 1), each
            // with first_mb_in_slice 0 (the bit 1 of ue(v) 0).
            insert(seq++, new byte[] {(byte) (f == 0 ? 0x65 : 0x41), (byte) 0x88, 0x22}, ts, true);
            for (int p = 0; p < paddingPerFrame; p++) {
                insert(seq++, new byte[0], ts, false);
            }
        }
        assertThat(frames).hasSize(20);
        assertThat(keyRequests).isZero();
    }

    private void insert(long ext, byte[] payload, long ts, boolean marker) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.position(12);
        b.put(payload);
        nack.received(ext, 0, false);
        buffer.insert(ext, PT, b, 12, payload.length, ts, marker);
        buffer.release(nack);
    }
}
