package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Goodbye (RFC 3550 section 6.6).
 *
 * <pre>
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * |                           SSRC/CSRC                           |
 * :                              ...                              :
 * |     length    |               reason for leaving            ... (opt)
 * </pre>
 *
 * @param reason empty when none
 */
public record Goodbye(List<Integer> ssrcs, String reason) implements RtcpPacket {

    public Goodbye {
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.size() > 31) {
            throw new IllegalArgumentException("more than 31 SSRCs");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("reason longer than 255 bytes");
        }
    }

    static Goodbye read(ByteReader r, int count) throws ParseException {
        Integer[] ssrcs = new Integer[count];
        for (int i = 0; i < count; i++) {
            ssrcs[i] = r.i32();
        }
        String reason = "";
        if (r.hasRemaining()) {
            int len = r.u8();
            reason = new String(r.bytes(len), StandardCharsets.UTF_8);
        }
        return new Goodbye(List.of(ssrcs), reason);
    }

    @Override
    public int length() {
        int n = 4 + 4 * ssrcs.size();
        if (!reason.isEmpty()) {
            n += (1 + reason.getBytes(StandardCharsets.UTF_8).length + 3) / 4 * 4;
        }
        return n;
    }

    @Override
    public void write(ByteBuffer dst) {
        int end = dst.position() + length();
        RtcpPacket.header(dst, ssrcs.size(), BYE, length());
        ssrcs.forEach(dst::putInt);
        if (!reason.isEmpty()) {
            byte[] b = reason.getBytes(StandardCharsets.UTF_8);
            dst.put((byte) b.length).put(b);
        }
        while (dst.position() < end) {
            dst.put((byte) 0);
        }
    }
}
