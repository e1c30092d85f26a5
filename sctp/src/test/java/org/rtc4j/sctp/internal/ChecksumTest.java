package org.rtc4j.sctp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Bytes;

class ChecksumTest {

    @Test
    void crc32cCheckValue() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    }

    /**
     * A captured COOKIE-ACK + SACK packet (checksum 0x368b6ec0 on the wire as c0 6e 8b 36): the CRC-32c is
     * stored least significant byte first.
     */
    @Test
    void verifiesACapturedPacket() {
        byte[] packet = Bytes.fromHex("04d210e1697e3a4e c06e8b36 0b000004 03000010 aea95252 00020000 00000000");
        Checksum c = new Checksum();
        assertThat(c.verify(packet, 0, packet.length)).isTrue();
        packet[20] ^= 1;
        assertThat(c.verify(packet, 0, packet.length)).isFalse();
    }

    @Test
    void sealThenVerify() {
        byte[] packet = new byte[40];
        for (int i = 0; i < packet.length; i++) {
            packet[i] = (byte) (i * 7);
        }
        Checksum c = new Checksum();
        c.seal(packet, 0, packet.length);
        assertThat(c.verify(packet, 0, packet.length)).isTrue();
    }
}
