package org.rtc4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketKindTest {

    @Test
    void everyFirstByteFallsInTheRfc7983Range() {
        for (int b = 0; b < 256; b++) {
            PacketKind expected = b <= 3 ? PacketKind.STUN
                    : b >= 16 && b <= 19 ? PacketKind.ZRTP
                    : b >= 20 && b <= 63 ? PacketKind.DTLS
                    : b >= 64 && b <= 79 ? PacketKind.TURN_CHANNEL
                    : b >= 128 && b <= 191 ? PacketKind.RTP
                    : PacketKind.UNKNOWN;
            assertThat(PacketKind.of((byte) b)).as("first byte %d", b).isEqualTo(expected);
        }
    }

    @Test
    void realPacketsAndRtcp() {
        assertThat(PacketKind.of(new byte[] {0x00, 0x01}, 0, 2)).isEqualTo(PacketKind.STUN);       // Binding request
        assertThat(PacketKind.of(new byte[] {0x16, (byte) 0xFE}, 0, 2)).isEqualTo(PacketKind.DTLS); // handshake
        assertThat(PacketKind.of(new byte[] {0x40, 0x00}, 0, 2)).isEqualTo(PacketKind.TURN_CHANNEL); // 0x4000
        assertThat(PacketKind.of(new byte[] {(byte) 0x80, 111}, 0, 2)).isEqualTo(PacketKind.RTP);
        assertThat(PacketKind.of(new byte[0], 0, 0)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.isRtcp(200)).isTrue();   // sender report
        assertThat(PacketKind.isRtcp(111)).isFalse();  // Opus
        assertThat(PacketKind.isRtcp(96 | 0x80)).isFalse(); // marker set, PT 96
    }
}
