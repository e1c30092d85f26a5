package org.rtc4j.rtp;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes an RTP header (RFC 3550 section 5.1) with CSRCs and header extension elements (RFC 8285) in front of a
 * payload. Reused from packet to packet: {@link #reset()}, set the fields, add elements, {@link #write}. The
 * one-byte form is used when every element allows it (IDs 1-14, 1 to 16 bytes), the two-byte form otherwise
 * (RFC 8285 section 4.3).
 */
public final class RtpHeaderWriter {

    private static final int MAX_ELEMENTS = 16;

    private int payloadType;
    private boolean marker;
    private int sequenceNumber;
    private long timestamp;
    private int ssrc;
    private final int[] csrcs = new int[15];
    private int csrcCount;
    private byte[] data = new byte[256];
    private int dataLength;
    private final int[] ids = new int[MAX_ELEMENTS];
    private final int[] offsets = new int[MAX_ELEMENTS];
    private final int[] lengths = new int[MAX_ELEMENTS];
    private int elements;

    public RtpHeaderWriter reset() {
        marker = false;
        csrcCount = 0;
        dataLength = 0;
        elements = 0;
        return this;
    }

    public RtpHeaderWriter payloadType(int pt) {
        if (pt < 0 || pt > 127) {
            throw new IllegalArgumentException("payload type " + pt);
        }
        this.payloadType = pt;
        return this;
    }

    public RtpHeaderWriter marker(boolean m) {
        this.marker = m;
        return this;
    }

    public RtpHeaderWriter sequenceNumber(int seq) {
        this.sequenceNumber = seq & 0xFFFF;
        return this;
    }

    public RtpHeaderWriter timestamp(long ts) {
        this.timestamp = ts & 0xFFFF_FFFFL;
        return this;
    }

    public RtpHeaderWriter ssrc(int s) {
        this.ssrc = s;
        return this;
    }

    public RtpHeaderWriter addCsrc(int csrc) {
        if (csrcCount == 15) {
            throw new IllegalStateException("at most 15 CSRCs");
        }
        csrcs[csrcCount++] = csrc;
        return this;
    }

    /**
     * Room for an element of {@code len} bytes with local identifier {@code id}: returns the scratch array and the
     * caller writes the element's data at the returned {@link #elementOffset()}.
     */
    public byte[] addExtension(int id, int len) {
        if (id < 1 || id > 255 || len < 0 || len > 255) {
            throw new IllegalArgumentException("extension id " + id + " length " + len);
        }
        if (elements == MAX_ELEMENTS) {
            throw new IllegalStateException("at most " + MAX_ELEMENTS + " extension elements");
        }
        if (dataLength + len > data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        ids[elements] = id;
        offsets[elements] = dataLength;
        lengths[elements] = len;
        elements++;
        dataLength += len;
        return data;
    }

    /** Where the data of the element last added goes in the array {@link #addExtension} returned. */
    public int elementOffset() {
        return offsets[elements - 1];
    }

    /** Adds an element with these bytes. */
    public RtpHeaderWriter extension(int id, byte[] value) {
        byte[] d = addExtension(id, value.length);
        System.arraycopy(value, 0, d, elementOffset(), value.length);
        return this;
    }

    private boolean oneByteForm() {
        for (int i = 0; i < elements; i++) {
            if (ids[i] > 14 || lengths[i] < 1 || lengths[i] > 16) {
                return false;
            }
        }
        return true;
    }

    /** The header's length in bytes. */
    public int length() {
        int n = RtpPacket.FIXED_HEADER + 4 * csrcCount;
        if (elements > 0) {
            int body = dataLength + elements * (oneByteForm() ? 1 : 2);
            n += 4 + (body + 3) / 4 * 4;
        }
        return n;
    }

    /** Writes the header at absolute index {@code at} of {@code dst} (which is not moved); returns its length. */
    public int write(ByteBuffer dst, int at) {
        int total = length();
        if (at < 0 || at + total > dst.limit()) {
            throw new IllegalArgumentException("no room for an RTP header of " + total + " bytes");
        }
        dst.put(at, (byte) (0x80 | (elements > 0 ? 0x10 : 0) | csrcCount));
        dst.put(at + 1, (byte) ((marker ? 0x80 : 0) | payloadType));
        dst.putShort(at + 2, (short) sequenceNumber);
        dst.putInt(at + 4, (int) timestamp);
        dst.putInt(at + 8, ssrc);
        int p = at + RtpPacket.FIXED_HEADER;
        for (int i = 0; i < csrcCount; i++, p += 4) {
            dst.putInt(p, csrcs[i]);
        }
        if (elements > 0) {
            boolean one = oneByteForm();
            int words = (total - (p - at) - 4) / 4;
            dst.putShort(p, (short) (one ? HeaderExtensions.ONE_BYTE_PROFILE : HeaderExtensions.TWO_BYTE_PROFILE));
            dst.putShort(p + 2, (short) words);
            p += 4;
            for (int i = 0; i < elements; i++) {
                if (one) {
                    dst.put(p++, (byte) ((ids[i] << 4) | (lengths[i] - 1)));
                } else {
                    dst.put(p++, (byte) ids[i]);
                    dst.put(p++, (byte) lengths[i]);
                }
                dst.put(p, data, offsets[i], lengths[i]);
                p += lengths[i];
            }
            while (p < at + total) {
                dst.put(p++, (byte) 0);
            }
        }
        return total;
    }
}
