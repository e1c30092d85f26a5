package org.rtc4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ByteReaderTest {

    @Test
    void readsBigEndianFields() throws ParseException {
        ByteReader r = ByteReader.of(Bytes.fromHex("01 0203 040506 0708090a 0b0c0d0e0f101112 ff"));
        assertThat(r.u8()).isEqualTo(1);
        assertThat(r.u16()).isEqualTo(0x0203);
        assertThat(r.u24()).isEqualTo(0x040506);
        assertThat(r.u32()).isEqualTo(0x0708090aL);
        assertThat(r.u64()).isEqualTo(0x0b0c0d0e0f101112L);
        assertThat(r.peekU8()).isEqualTo(0xff);
        assertThat(r.u8()).isEqualTo(0xff);
        assertThat(r.hasRemaining()).isFalse();
    }

    @Test
    void unsignedValuesStayPositive() throws ParseException {
        ByteReader r = ByteReader.of(Bytes.fromHex("ffffffff ffff"));
        assertThat(r.u32()).isEqualTo(0xFFFF_FFFFL);
        assertThat(r.u16()).isEqualTo(0xFFFF);
    }

    @Test
    void shortInputIsAParseErrorThatSaysWhere() throws ParseException {
        ByteReader r = ByteReader.of(new byte[] {1, 2, 3});
        r.u16();
        assertThatThrownBy(r::u16).isInstanceOf(ParseException.class)
                .hasMessage("u16: need 2 bytes at offset 2, 1 left");
        assertThat(r.position()).isEqualTo(2);
    }

    @Test
    void hugeOrNegativeLengthsAreRefusedBeforeAllocating() {
        ByteReader r = ByteReader.of(new byte[8]);
        assertThatThrownBy(() -> r.bytes(Integer.MAX_VALUE)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> r.bytes(-1)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> r.skip(9)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> r.position(9)).isInstanceOf(ParseException.class);
    }

    @Test
    void readsOnlyTheRegionBetweenPositionAndLimit() throws ParseException {
        ByteBuffer buffer = ByteBuffer.wrap(Bytes.fromHex("aa bb cc dd ee"));
        buffer.position(1).limit(4);
        ByteReader r = ByteReader.of(buffer);
        assertThat(r.length()).isEqualTo(3);
        assertThat(r.u8At(0)).isEqualTo(0xbb);
        assertThat(r.bytes(3)).containsExactly(0xbb, 0xcc, 0xdd);
        assertThatThrownBy(r::u8).isInstanceOf(ParseException.class);
        assertThat(buffer.position()).as("the caller's buffer is not moved").isEqualTo(1);
    }

    @Test
    void subReaderIsBoundedAndAdvancesTheParent() throws ParseException {
        ByteReader r = ByteReader.of(Bytes.fromHex("0002 abcd 99"));
        ByteReader value = r.sub(r.u16());
        assertThat(value.u16()).isEqualTo(0xabcd);
        assertThatThrownBy(value::u8).isInstanceOf(ParseException.class);
        assertThat(r.u8()).isEqualTo(0x99);
    }

    @Test
    void directAndLittleEndianBuffersReadTheSame() throws ParseException {
        ByteBuffer direct = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(Bytes.fromHex("01020304 0102030405060708")).flip();
        ByteReader r = ByteReader.of(direct);
        assertThat(r.i32()).isEqualTo(0x01020304);
        assertThat(r.u64()).isEqualTo(0x0102030405060708L);
    }

    @Test
    void resetReusesTheReader() throws ParseException {
        ByteReader r = ByteReader.of(new byte[] {1});
        r.reset(ByteBuffer.wrap(new byte[] {7, 8}));
        assertThat(r.u16()).isEqualTo(0x0708);
    }

    @Test
    void writesAreTheInverseOfReads() throws ParseException {
        byte[] b = new byte[18];
        Bytes.putU8(b, 0, 0xfe);
        Bytes.putU16(b, 1, 0xbeef);
        Bytes.putU24(b, 3, 0x123456);
        Bytes.putU32(b, 6, 0xdeadbeefL);
        Bytes.putU64(b, 10, 0x0102030405060708L);
        ByteReader r = ByteReader.of(b);
        assertThat(r.u8()).isEqualTo(0xfe);
        assertThat(r.u16()).isEqualTo(0xbeef);
        assertThat(r.u24()).isEqualTo(0x123456);
        assertThat(r.u32()).isEqualTo(0xdeadbeefL);
        assertThat(r.u64()).isEqualTo(0x0102030405060708L);
        assertThat(Bytes.getU16(b, 1)).isEqualTo(0xbeef);
        assertThat(Bytes.getU32(b, 6)).isEqualTo(0xdeadbeefL);
        assertThat(Bytes.hex(new byte[] {0x0a, (byte) 0xff})).isEqualTo("0aff");
        assertThat(Bytes.pad4(5)).isEqualTo(8);
        assertThat(Bytes.pad4(8)).isEqualTo(8);
    }
}
