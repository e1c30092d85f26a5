package org.rtc4j.media.container.internal;

import java.util.ArrayList;
import java.util.List;
import org.rtc4j.media.container.ContainerFormatException;

/**
 * H.264 NAL units in their two framings: Annex B (start codes, as in .h264 files and RTP's EncodedFrame) and
 * ISO 14496-15 (length-prefixed, as in Matroska and MP4), with the AVCDecoderConfigurationRecord (avcC, 5.3.3.1)
 * that carries SPS and PPS in Matroska's CodecPrivate.
 */
public final class AnnexB {

    private static final byte[] START = {0, 0, 0, 1};

    private AnnexB() {
    }

    /** Start and end offsets of each NAL unit's payload (after its start code), end exclusive. */
    public static List<int[]> nals(byte[] b) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < b.length) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                if (start >= 0) {
                    int end = i;
                    while (end > start && b[end - 1] == 0) {
                        end--; // trailing_zero_8bits and the leading zero of a 4-byte start code
                    }
                    out.add(new int[] {start, end});
                }
                start = i + 3;
                i += 3;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < b.length) {
            out.add(new int[] {start, b.length});
        }
        return out;
    }

    public static boolean startsWithStartCode(byte[] b) {
        return b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] == 1 || (b[2] == 0 && b[3] == 1));
    }

    public static boolean containsNal(byte[] annexB, int type) {
        for (int[] n : nals(annexB)) {
            if (n[1] > n[0] && (annexB[n[0]] & 0x1F) == type) {
                return true;
            }
        }
        return false;
    }

    /** 4-byte length prefixes instead of start codes. */
    public static byte[] toLengthPrefixed(byte[] annexB) {
        ByteBuilder out = new ByteBuilder(annexB.length + 16);
        for (int[] n : nals(annexB)) {
            out.be(n[1] - n[0], 4).bytes(annexB, n[0], n[1] - n[0]);
        }
        return out.toByteArray();
    }

    /**
     * Annex B from length-prefixed NAL units; {@code parameterSets} (Annex B) go first on a key frame that
     * carries no SPS of its own, so that the frame decodes alone.
     */
    public static byte[] fromLengthPrefixed(byte[] data, int lengthSize, byte[] parameterSets, boolean key)
            throws ContainerFormatException {
        ByteBuilder out = new ByteBuilder(data.length + parameterSets.length + 16);
        boolean hasSps = false;
        int p = 0;
        while (p < data.length) {
            if (data.length - p < lengthSize) {
                throw new ContainerFormatException("H.264 frame ends inside a NAL length");
            }
            long len = 0;
            for (int i = 0; i < lengthSize; i++) {
                len = (len << 8) | (data[p++] & 0xFF);
            }
            if (len > data.length - p) {
                throw new ContainerFormatException("H.264 NAL length " + len + " past the end of its frame");
            }
            if (len > 0 && (data[p] & 0x1F) == 7) {
                hasSps = true;
            }
            out.bytes(START).bytes(data, p, (int) len);
            p += (int) len;
        }
        if (!key || hasSps || parameterSets.length == 0) {
            return out.toByteArray();
        }
        ByteBuilder withSets = new ByteBuilder(out.length() + parameterSets.length);
        return withSets.bytes(parameterSets).bytes(out.array(), 0, out.length()).toByteArray();
    }

    /** The NAL length size and the SPS and PPS of an avcC record, the sets as Annex B. */
    public record Config(int lengthSize, byte[] parameterSets) {
    }

    public static Config parseAvcC(byte[] c) throws ContainerFormatException {
        if (c.length < 7 || c[0] != 1) {
            throw new ContainerFormatException("H.264 CodecPrivate is no avcC record");
        }
        int lengthSize = (c[4] & 3) + 1;
        if (lengthSize == 3) {
            throw new ContainerFormatException("avcC NAL length size 3");
        }
        ByteBuilder sets = new ByteBuilder(c.length + 32);
        int p = 5;
        for (int kind = 0; kind < 2; kind++) {
            if (p >= c.length) {
                throw new ContainerFormatException("avcC ends before its parameter sets");
            }
            int count = kind == 0 ? c[p++] & 0x1F : c[p++] & 0xFF;
            for (int i = 0; i < count; i++) {
                if (p + 2 > c.length) {
                    throw new ContainerFormatException("avcC ends inside a parameter set length");
                }
                int len = ((c[p] & 0xFF) << 8) | (c[p + 1] & 0xFF);
                p += 2;
                if (len > c.length - p) {
                    throw new ContainerFormatException("avcC parameter set past its end");
                }
                sets.bytes(START).bytes(c, p, len);
                p += len;
            }
        }
        return new Config(lengthSize, sets.toByteArray());
    }

    /** An avcC record (4-byte lengths) from the SPS and PPS of an Annex B key frame, or null if it lacks them. */
    public static byte[] avcC(byte[] annexB) {
        List<int[]> sps = new ArrayList<>();
        List<int[]> pps = new ArrayList<>();
        for (int[] n : nals(annexB)) {
            if (n[1] - n[0] >= 4 && (annexB[n[0]] & 0x1F) == 7) {
                sps.add(n);
            } else if (n[1] > n[0] && (annexB[n[0]] & 0x1F) == 8) {
                pps.add(n);
            }
        }
        if (sps.isEmpty() || pps.isEmpty()) {
            return null;
        }
        int[] first = sps.get(0);
        ByteBuilder c = new ByteBuilder(64);
        c.u8(1).u8(annexB[first[0] + 1]).u8(annexB[first[0] + 2]).u8(annexB[first[0] + 3]).u8(0xFF);
        c.u8(0xE0 | sps.size());
        for (int[] n : sps) {
            c.be(n[1] - n[0], 2).bytes(annexB, n[0], n[1] - n[0]);
        }
        c.u8(pps.size());
        for (int[] n : pps) {
            c.be(n[1] - n[0], 2).bytes(annexB, n[0], n[1] - n[0]);
        }
        return c.toByteArray();
    }
}
