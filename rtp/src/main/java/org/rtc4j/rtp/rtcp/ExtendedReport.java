package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Extended report (RFC 3611 section 2): report blocks after the sender's SSRC. The receiver reference time
 * (RRTR, section 4.4) and DLRR (section 4.5) blocks are read, other blocks are kept as bytes.
 *
 * <pre>
 * |V=2|P|reserved |   PT=XR=207   |             length            |
 * |                              SSRC                             |
 * |      BT       | type-specific |         block length          |  (each block)
 * :             type-specific block contents                      :
 *
 * RRTR (BT=4):  | NTP timestamp, most significant word | least significant word |
 * DLRR (BT=5):  | SSRC_1 | last RR (LRR) | delay since last RR (DLRR, 1/65536 s) |  (repeated)
 * </pre>
 */
public record ExtendedReport(int ssrc, List<Block> blocks) implements RtcpPacket {

    /** One report block. */
    public sealed interface Block permits ReceiverReferenceTime, Dlrr, OtherBlock {
        int length();

        void write(ByteBuffer dst);
    }

    /** RRTR: the NTP time the receive-only endpoint sent this report. */
    public record ReceiverReferenceTime(long ntpTime) implements Block {
        @Override
        public int length() {
            return 12;
        }

        @Override
        public void write(ByteBuffer dst) {
            dst.putInt((4 << 24) | 2).putLong(ntpTime);
        }
    }

    /** DLRR: for each receiver, the middle 32 bits of its last RRTR and the delay since. */
    public record Dlrr(List<SubBlock> subBlocks) implements Block {
        public Dlrr {
            subBlocks = List.copyOf(subBlocks);
        }

        @Override
        public int length() {
            return 4 + 12 * subBlocks.size();
        }

        @Override
        public void write(ByteBuffer dst) {
            dst.putInt((5 << 24) | (3 * subBlocks.size()));
            for (SubBlock s : subBlocks) {
                dst.putInt(s.ssrc).putInt((int) s.lastRr).putInt((int) s.delaySinceLastRr);
            }
        }
    }

    /** One receiver of a DLRR block. */
    public record SubBlock(int ssrc, long lastRr, long delaySinceLastRr) {
    }

    /** A block of another type, its body kept. */
    public record OtherBlock(int blockType, int typeSpecific, byte[] body) implements Block {
        @Override
        public int length() {
            return 4 + body.length;
        }

        @Override
        public void write(ByteBuffer dst) {
            dst.put((byte) blockType).put((byte) typeSpecific).putShort((short) (body.length / 4)).put(body);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OtherBlock b && blockType == b.blockType && typeSpecific == b.typeSpecific
                    && java.util.Arrays.equals(body, b.body);
        }

        @Override
        public int hashCode() {
            return blockType * 31 + java.util.Arrays.hashCode(body);
        }
    }

    public ExtendedReport {
        blocks = List.copyOf(blocks);
    }

    static ExtendedReport read(ByteReader r) throws ParseException {
        int ssrc = r.i32();
        List<Block> blocks = new ArrayList<>();
        while (r.remaining() >= 4) {
            int type = r.u8();
            int specific = r.u8();
            int words = r.u16();
            ByteReader body = r.sub(4 * words);
            switch (type) {
                case 4 -> blocks.add(new ReceiverReferenceTime(body.u64()));
                case 5 -> {
                    List<SubBlock> subs = new ArrayList<>();
                    while (body.remaining() >= 12) {
                        subs.add(new SubBlock(body.i32(), body.u32(), body.u32()));
                    }
                    blocks.add(new Dlrr(subs));
                }
                default -> blocks.add(new OtherBlock(type, specific, body.bytes(body.remaining())));
            }
        }
        return new ExtendedReport(ssrc, blocks);
    }

    @Override
    public int length() {
        int n = 8;
        for (Block b : blocks) {
            n += b.length();
        }
        return n;
    }

    @Override
    public void write(ByteBuffer dst) {
        RtcpPacket.header(dst, 0, XR, length());
        dst.putInt(ssrc);
        blocks.forEach(b -> b.write(dst));
    }
}
