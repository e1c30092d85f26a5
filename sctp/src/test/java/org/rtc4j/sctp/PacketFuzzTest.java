package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Random;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;
import org.rtc4j.sctp.internal.Checksum;
import org.rtc4j.sctp.internal.Chunk;
import org.rtc4j.sctp.internal.ChunkCodec;

/**
 * Fuzzes the chunk parser and the association behind it. Under Surefire each target runs on its seed inputs
 * (src/test/resources/.../PacketFuzzTestInputs) as a regression test; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class PacketFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void chunkParser(byte[] input) {
        ChunkCodec.Packet packet;
        try {
            packet = ChunkCodec.parsePacket(ByteBuffer.wrap(input));
        } catch (ParseException e) {
            return;
        }
        // Whatever parses must encode again, and the encoding must parse to the same chunks.
        int size = 12;
        for (Chunk c : packet.chunks()) {
            size += ChunkCodec.size(c);
        }
        byte[] again = new byte[size];
        int p = 12;
        for (Chunk c : packet.chunks()) {
            p += ChunkCodec.encode(c, again, p);
        }
        try {
            assertThat(ChunkCodec.parsePacket(ByteBuffer.wrap(again)).chunks()).hasSameSizeAs(packet.chunks());
        } catch (ParseException e) {
            throw new AssertionError("re-encoded packet does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * Chunks from the fuzzer, under a valid header (right ports, tag and checksum) so they reach the
     * association's handlers; it must drop or answer them and never throw.
     */
    @FuzzTest(maxDuration = "30s")
    void establishedAssociation(byte[] chunks) {
        SctpSettings s = SctpSettings.defaults().withBuffers(64 << 10, 64 << 10);
        SctpPair p = SctpPair.connected(s.withRandom(new Random(1)), s.withRandom(new Random(2)), 3);
        SctpAssociation b = p.b;
        int tag = tagOf(p);
        byte[] packet = new byte[12 + chunks.length];
        Bytes.putU16(packet, 0, 5000);
        Bytes.putU16(packet, 2, 5000);
        Bytes.putU32(packet, 4, tag);
        System.arraycopy(chunks, 0, packet, 12, chunks.length);
        new Checksum().seal(packet, 0, packet.length);
        b.handlePacket(p.now(), ByteBuffer.wrap(packet));
        p.run(500);
        if (b.state() == SctpState.ESTABLISHED && p.a.state() == SctpState.ESTABLISHED) {
            p.a.send(0, 51, new byte[] {1}, SendOptions.RELIABLE);
            p.run(500);
        }
    }

    /** The verification tag b expects, learned from a packet a sends. */
    private static int tagOf(SctpPair p) {
        SctpAssociation a = p.a;
        a.send(0, 51, new byte[] {0}, SendOptions.RELIABLE);
        ByteBuffer buf = ByteBuffer.allocate(2048);
        int n = a.pollPacket(p.now(), buf);
        assertThat(n).isPositive();
        int tag = buf.getInt(4);
        p.association(1).handlePacket(p.now(), buf.flip());
        return tag;
    }
}
