package org.rtc4j.ice.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** ChannelData framing (RFC 8656 sections 12.4 and 12.5) and its split from STUN by the first two bits. */
class ChannelDataTest {

    @Test
    void encodesPadsOverStreamsAndReadsBack() {
        ByteBuffer udp = ChannelData.encode(0x4001, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), false);
        assertThat(udp.remaining()).isEqualTo(9);
        ByteBuffer tcp = ChannelData.encode(0x4001, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), true);
        assertThat(tcp.remaining()).isEqualTo(12);
        for (ByteBuffer b : new ByteBuffer[] {udp, tcp}) {
            assertThat(ChannelData.is(b)).isTrue();
            assertThat(ChannelData.channel(b)).isEqualTo(0x4001);
            assertThat(ChannelData.length(b)).isEqualTo(5);
            ByteBuffer payload = ChannelData.payload(b);
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            assertThat(bytes).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void tellsStunFromChannelDataAndRejectsTheRest() {
        ByteBuffer stun = StunMessage.request(StunMethod.BINDING).fingerprint().build().asBuffer();
        assertThat(ChannelData.is(stun)).isFalse();
        assertThat(ChannelData.is(ByteBuffer.wrap(new byte[] {0x40, 0, 0}))).isFalse(); // shorter than a header
        assertThat(ChannelData.streamFrameLength(0x00, 8)).isEqualTo(28);
        assertThat(ChannelData.streamFrameLength(0x40, 5)).isEqualTo(12);
        assertThat(ChannelData.frameLength(0x40, 5)).isEqualTo(9);
        assertThat(ChannelData.streamFrameLength(0x80, 5)).isEqualTo(-1); // RTP: not on a TURN stream
        assertThat(ChannelData.frameLength(0xFF, 5)).isEqualTo(-1);
        // A length field past the end is no payload at all, never a read out of bounds.
        assertThat(ChannelData.payload(ByteBuffer.wrap(new byte[] {0x40, 0, 0, 9, 1, 2}))).isNull();
    }
}
