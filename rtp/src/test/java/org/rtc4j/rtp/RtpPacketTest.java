package org.rtc4j.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;

class RtpPacketTest {

    private static ByteBuffer hex(String h) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(h.replace(" ", "")));
    }

    @Test
    void readsFixedHeaderCsrcsAndPadding() throws ParseException {
        // V=2 P=1 CC=2, M=1 PT=96, seq 0x1234, ts 0xDEADBEEF, ssrc 0x01020304, 2 CSRCs, payload AA BB, 3 padding.
        ByteBuffer b = hex("a2 e0 1234 deadbeef 01020304 00000011 00000022 aabb 0000 03");
        RtpPacket p = RtpPacket.of(b);
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.sequenceNumber()).isEqualTo(0x1234);
        assertThat(p.timestamp()).isEqualTo(0xDEADBEEFL);
        assertThat(p.ssrc()).isEqualTo(0x01020304);
        assertThat(p.csrcCount()).isEqualTo(2);
        assertThat(p.csrc(1)).isEqualTo(0x22);
        assertThat(p.headerLength()).isEqualTo(20);
        assertThat(p.paddingLength()).isEqualTo(3);
        assertThat(p.payloadLength()).isEqualTo(2);
        assertThat(p.payload().get(0)).isEqualTo((byte) 0xAA);
    }

    @Test
    void rejectsLengthsThatDoNotFit() {
        assertThatThrownBy(() -> RtpPacket.of(hex("80 60 0001 00000000 00000001".substring(0, 10))))
                .isInstanceOf(ParseException.class);
        // CC=15 in a 12-byte packet
        assertThatThrownBy(() -> RtpPacket.of(hex("8f 60 0001 00000000 00000001"))).isInstanceOf(ParseException.class);
        // extension of 0xFFFF words
        assertThatThrownBy(() -> RtpPacket.of(hex("90 60 0001 00000000 00000001 bede ffff")))
                .isInstanceOf(ParseException.class);
        // padding count larger than the packet
        assertThatThrownBy(() -> RtpPacket.of(hex("a0 60 0001 00000000 00000001 aa 20")))
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> RtpPacket.of(hex("a0 60 0001 00000000 00000001 aa 00")))
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> RtpPacket.of(hex("40 60 0001 00000000 00000001"))).isInstanceOf(ParseException.class);
    }

    @Test
    void oneByteExtensionsAsInRfc8285() throws ParseException {
        // RFC 8285 4.2: 0xBEDE, length 3 words: ID 1 (1 byte), padding, ID 2 (4 bytes), ID 3 (2 bytes), padding.
        ByteBuffer b = hex("90 60 0001 00000000 00000001 bede 0003 10 ff 00 00 23 01020304 31 aabb 00 00 cafe");
        RtpPacket p = RtpPacket.of(b);
        assertThat(p.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(p.payloadLength()).isEqualTo(4);
        long e2 = p.findExtension(2);
        assertThat((int) (e2 & 0xFFFF)).isEqualTo(4);
        assertThat(b.getInt((int) (e2 >>> 16))).isEqualTo(0x01020304);
        assertThat(p.findExtension(3) & 0xFFFF).isEqualTo(2);
        assertThat(p.findExtension(4)).isEqualTo(-1);
        HeaderExtensions.Cursor c = p.extensions(new HeaderExtensions.Cursor());
        int n = 0;
        while (c.next()) {
            n++;
        }
        assertThat(n).isEqualTo(3);
    }

    @Test
    void writerChoosesTheFormAndRoundTrips() throws ParseException {
        RtpHeaderWriter w = new RtpHeaderWriter().reset().payloadType(111).marker(true).sequenceNumber(65535)
                .timestamp(0xFFFF_FFFFL).ssrc(-5).addCsrc(7);
        SdesExtension.write(w, 1, "0");
        SdesExtension.write(w, 2, "hi");
        AbsSendTime.write(w, 3, AbsSendTime.fromNanos(1_500_000_000L));
        TransportSequenceNumber.write(w, 4, 4321);
        new AudioLevel(true, 42).write(w, 5);
        new VideoOrientation(true, false, 270).write(w, 6);
        new PlayoutDelay(100, 4000).write(w, 7);
        new AbsCaptureTime(0x0102030405060708L, -1, true).write(w, 8);
        ByteBuffer b = ByteBuffer.allocate(200);
        int h = w.write(b, 0);
        assertThat(h % 4).isZero();
        b.put(h, (byte) 0x77).limit(h + 1);
        RtpPacket p = RtpPacket.of(b);
        assertThat(p.extensionProfile()).isEqualTo(0xBEDE);
        assertThat(p.headerLength()).isEqualTo(h);
        assertThat(p.ssrc()).isEqualTo(-5);
        assertThat(p.csrc(0)).isEqualTo(7);
        assertThat(SdesExtension.of(p, 1)).isEqualTo("0");
        assertThat(SdesExtension.of(p, 2)).isEqualTo("hi");
        long at = p.findExtension(3);
        int ast = AbsSendTime.read(b, (int) (at >>> 16), (int) (at & 0xFFFF));
        assertThat(ast).isEqualTo(0x060000);
        assertThat(AbsSendTime.toNanos(ast)).isEqualTo(1_500_000_000L);
        at = p.findExtension(4);
        assertThat(TransportSequenceNumber.read(b, (int) (at >>> 16), (int) (at & 0xFFFF))).isEqualTo(4321);
        at = p.findExtension(5);
        assertThat(AudioLevel.read(b, (int) (at >>> 16), (int) (at & 0xFFFF))).isEqualTo(new AudioLevel(true, 42));
        at = p.findExtension(6);
        assertThat(VideoOrientation.read(b, (int) (at >>> 16), 1)).isEqualTo(new VideoOrientation(true, false, 270));
        at = p.findExtension(7);
        assertThat(PlayoutDelay.read(b, (int) (at >>> 16), 3)).isEqualTo(new PlayoutDelay(100, 4000));
        at = p.findExtension(8);
        assertThat(AbsCaptureTime.read(b, (int) (at >>> 16), (int) (at & 0xFFFF)))
                .isEqualTo(new AbsCaptureTime(0x0102030405060708L, -1, true));
        assertThat(p.payloadLength()).isEqualTo(1);

        // an ID above 14 forces the two-byte form
        w.reset().payloadType(96).ssrc(1);
        SdesExtension.write(w, 20, "mid-twenty");
        w.extension(3, new byte[0]);
        b.clear();
        h = w.write(b, 0);
        b.limit(h);
        p = RtpPacket.of(b);
        assertThat(p.extensionProfile()).isEqualTo(0x1000);
        assertThat(SdesExtension.of(p, 20)).isEqualTo("mid-twenty");
        assertThat(p.findExtension(3)).isEqualTo((long) (p.findExtension(3) >>> 16) << 16);
    }

    @Test
    void settersRewriteInPlace() throws ParseException {
        ByteBuffer b = hex("80 60 0001 00000002 00000003 aa");
        RtpPacket p = RtpPacket.of(b);
        p.setSsrc(9);
        p.setSequenceNumber(0x10000 + 5);
        p.setTimestamp(0x1_0000_0007L);
        p.setMarker(true);
        p.setPayloadType(100);
        assertThat(HexFormat.of().formatHex(b.array())).isEqualTo("80e40005000000070000000" + "9aa");
    }
}
