package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Source description (RFC 3550 section 6.5): per SSRC, a list of items ended by a null item and padded to 32 bits.
 *
 * <pre>
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_1                          |
 * |    type (1=CNAME) |   length  | text (length bytes) ...       |
 * |    ... 0 (end), padding to 32 bits                            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public record SourceDescription(List<Chunk> chunks) implements RtcpPacket {

    public static final int CNAME = 1;
    /** RFC 9143 section 15: the MID as an SDES item. */
    public static final int MID = 15;

    /** One SSRC's items. */
    public record Chunk(int ssrc, List<Item> items) {
        public Chunk {
            items = List.copyOf(items);
        }

        int length() {
            int n = 4;
            for (Item i : items) {
                n += 2 + i.value.length;
            }
            return (n + 1 + 3) / 4 * 4; // the null item, then padding
        }
    }

    /** One item: its type and its bytes (UTF-8 text for the text types). */
    public record Item(int type, byte[] value) {
        public Item {
            if (type < 1 || type > 255 || value.length > 255) {
                throw new IllegalArgumentException("SDES item " + type + " of " + value.length + " bytes");
            }
        }

        public static Item text(int type, String text) {
            return new Item(type, text.getBytes(StandardCharsets.UTF_8));
        }

        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Item i && type == i.type && java.util.Arrays.equals(value, i.value);
        }

        @Override
        public int hashCode() {
            return type * 31 + java.util.Arrays.hashCode(value);
        }
    }

    public SourceDescription {
        chunks = List.copyOf(chunks);
        if (chunks.size() > 31) {
            throw new IllegalArgumentException("more than 31 chunks");
        }
    }

    public static SourceDescription cname(int ssrc, String cname) {
        return new SourceDescription(List.of(new Chunk(ssrc, List.of(Item.text(CNAME, cname)))));
    }

    static SourceDescription read(ByteReader r, int count) throws ParseException {
        List<Chunk> chunks = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            int start = r.position();
            int ssrc = r.i32();
            List<Item> items = new ArrayList<>();
            while (true) {
                int type = r.u8();
                if (type == 0) {
                    break;
                }
                int len = r.u8();
                items.add(new Item(type, r.bytes(len)));
            }
            // Skip the padding to the next 32-bit boundary.
            int used = r.position() - start;
            r.skip((4 - used % 4) % 4);
            chunks.add(new Chunk(ssrc, items));
        }
        return new SourceDescription(chunks);
    }

    @Override
    public int length() {
        int n = 4;
        for (Chunk c : chunks) {
            n += c.length();
        }
        return n;
    }

    @Override
    public void write(ByteBuffer dst) {
        RtcpPacket.header(dst, chunks.size(), SDES, length());
        for (Chunk c : chunks) {
            int start = dst.position();
            dst.putInt(c.ssrc);
            for (Item i : c.items) {
                dst.put((byte) i.type).put((byte) i.value.length).put(i.value);
            }
            int end = start + c.length();
            while (dst.position() < end) {
                dst.put((byte) 0);
            }
        }
    }
}
