package org.rtc4j.rtp.rtcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * Application-defined (RFC 3550 section 6.7).
 *
 * <pre>
 * |V=2|P| subtype |   PT=APP=204  |             length            |
 * |                           SSRC/CSRC                           |
 * |                          name (ASCII)                         |
 * |                   application-dependent data                ...
 * </pre>
 *
 * @param data a multiple of 4 bytes
 */
public record ApplicationDefined(int subtype, int ssrc, String name, byte[] data) implements RtcpPacket {

    public ApplicationDefined {
        if (subtype < 0 || subtype > 31 || name.length() != 4 || data.length % 4 != 0) {
            throw new IllegalArgumentException("APP subtype " + subtype + " name '" + name + "' " + data.length);
        }
    }

    static ApplicationDefined read(ByteReader r, int subtype) throws ParseException {
        int ssrc = r.i32();
        String name = new String(r.bytes(4), StandardCharsets.ISO_8859_1);
        return new ApplicationDefined(subtype, ssrc, name, r.bytes(r.remaining() / 4 * 4));
    }

    @Override
    public int length() {
        return 12 + data.length;
    }

    @Override
    public void write(ByteBuffer dst) {
        RtcpPacket.header(dst, subtype, APP, length());
        dst.putInt(ssrc).put(name.getBytes(StandardCharsets.ISO_8859_1)).put(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApplicationDefined a && subtype == a.subtype && ssrc == a.ssrc && name.equals(a.name)
                && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return ssrc * 31 + Arrays.hashCode(data);
    }
}
