package org.rtc4j.sctp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;

class ChunkCodecTest {

    static final List<Chunk> EVERY_KIND = List.of(
            new Chunk.Data(ChunkType.FLAG_BEGIN | ChunkType.FLAG_END, 0xFFFFFFFE, 7, 65535, 51, new byte[] {1, 2, 3}),
            new Chunk.IData(ChunkType.FLAG_UNORDERED, 12, 1, 99, 3, new byte[] {4, 5, 6, 7, 8}),
            new Chunk.Init(false, 0x12345678, 131072, 65535, 65535, 42,
                    new byte[] {(byte) 130, (byte) 192, 64, (byte) 194}, true, 1, null, List.of()),
            new Chunk.Init(true, 0x0BADBEEF, 1 << 20, 10, 20, -5, new byte[] {(byte) 130}, false, -1,
                    new byte[] {9, 9, 9, 9, 9}, List.of()),
            new Chunk.Sack(100, 65536, new int[] {2, 10}, new int[] {5, 12}, new int[] {99, 98}),
            new Chunk.Heartbeat(false, new byte[] {1, 2, 3, 4, 5, 6}),
            new Chunk.Heartbeat(true, new byte[] {7}),
            new Chunk.Abort(true, List.of(new Chunk.ErrorCause(12, "bye".getBytes()))),
            new Chunk.Shutdown(77),
            new Chunk.ShutdownAck(),
            new Chunk.ShutdownComplete(true),
            new Chunk.Error(List.of(new Chunk.ErrorCause(1, new byte[] {0, 5, 0, 0}))),
            new Chunk.CookieEcho(new byte[] {1, 2, 3, 4, 5, 6, 7}),
            new Chunk.CookieAck(),
            new Chunk.ForwardTsn(500, new int[] {1, 2}, new int[] {10, 20}),
            new Chunk.IForwardTsn(600, new int[] {3}, new boolean[] {true}, new int[] {1234}),
            new Chunk.ReConfig(List.of(new ReConfigParam.OutgoingReset(1, 2, 3, new int[] {4, 5, 6}),
                    new ReConfigParam.IncomingReset(7, new int[] {8}))),
            new Chunk.ReConfig(List.of(new ReConfigParam.Response(1, ReConfigParam.Response.SUCCESS_PERFORMED,
                    true, 10, 20))),
            new Chunk.ReConfig(List.of(new ReConfigParam.Response(2, ReConfigParam.Response.IN_PROGRESS,
                    false, 0, 0), new ReConfigParam.SsnTsnReset(3))),
            new Chunk.ReConfig(List.of(new ReConfigParam.AddStreams(true, 4, 16),
                    new ReConfigParam.AddStreams(false, 5, 2))),
            new Chunk.Unknown(0xC1, 3, new byte[] {1, 2}));

    @Test
    void everyKindRoundTrips() throws ParseException {
        for (Chunk c : EVERY_KIND) {
            byte[] first = encodePacket(List.of(c));
            ChunkCodec.Packet parsed = ChunkCodec.parsePacket(ByteBuffer.wrap(first));
            assertThat(parsed.chunks()).hasSize(1);
            assertThat(parsed.chunks().get(0).getClass()).isEqualTo(c.getClass());
            assertThat(encodePacket(parsed.chunks())).as(c.toString()).isEqualTo(first);
        }
    }

    @Test
    void bundledChunksRoundTrip() throws ParseException {
        byte[] bytes = encodePacket(EVERY_KIND);
        ChunkCodec.Packet parsed = ChunkCodec.parsePacket(ByteBuffer.wrap(bytes));
        assertThat(parsed.chunks()).hasSize(EVERY_KIND.size());
        assertThat(parsed.sourcePort()).isEqualTo(5000);
        assertThat(parsed.verificationTag()).isEqualTo(0xCAFEBABE);
        assertThat(encodePacket(parsed.chunks())).isEqualTo(bytes);
    }

    @Test
    void dataFieldsAreWhereTheRfcPutsThem() throws ParseException {
        byte[] b = encodePacket(List.of(new Chunk.Data(3, 0x01020304, 0x0506, 0x0708, 0x090A0B0C,
                new byte[] {(byte) 0xEE})));
        assertThat(Bytes.hex(java.util.Arrays.copyOfRange(b, 12, b.length)))
                .isEqualTo("00030011" + "01020304" + "0506" + "0708" + "090a0b0c" + "ee000000");
    }

    @Test
    void refusesBrokenInput() {
        assertThatThrownBy(() -> ChunkCodec.parsePacket(ByteBuffer.wrap(new byte[8])))
                .isInstanceOf(ParseException.class);
        // chunk length smaller than its header
        byte[] b = new byte[16];
        b[14] = 0;
        b[15] = 2;
        assertThatThrownBy(() -> ChunkCodec.parsePacket(ByteBuffer.wrap(b))).isInstanceOf(ParseException.class);
        // SACK announcing more blocks than it carries
        byte[] sack = Bytes.fromHex("00000010 00000001 00010000 00ff0000");
        assertThatThrownBy(() -> ChunkCodec.parseChunk(ChunkType.SACK, 0, ByteReader.of(sack, 4, 12)))
                .isInstanceOf(ParseException.class);
        // INIT with tag 0
        byte[] init = Bytes.fromHex("00000000 00010000 00010001 00000001");
        assertThatThrownBy(() -> ChunkCodec.parseChunk(ChunkType.INIT, 0, ByteReader.of(init)))
                .isInstanceOf(ParseException.class);
    }

    static byte[] encodePacket(List<Chunk> chunks) {
        int size = 12;
        for (Chunk c : chunks) {
            size += ChunkCodec.size(c);
        }
        byte[] b = new byte[size];
        Bytes.putU16(b, 0, 5000);
        Bytes.putU16(b, 2, 5000);
        Bytes.putU32(b, 4, 0xCAFEBABEL);
        int p = 12;
        for (Chunk c : chunks) {
            p += ChunkCodec.encode(c, b, p);
        }
        new Checksum().seal(b, 0, b.length);
        return b;
    }
}
