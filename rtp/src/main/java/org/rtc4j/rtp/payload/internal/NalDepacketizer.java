package org.rtc4j.rtp.payload.internal;

import static org.rtc4j.rtp.payload.internal.Payloads.u16;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Depacketizer;

/**
 * Rebuilds H.264/H.265 access units in Annex B form (a 4-byte start code before each unit) from single NAL unit,
 * aggregation and fragmentation packets. A key frame that arrives without its parameter sets gets the last ones
 * this stream carried (or the ones given from the SDP's sprop parameters), as a decoder needs them.
 *
 * <p>Two passes over the payloads: the first checks them and sizes the frame, the second copies, so the frame is
 * allocated once and never beyond its bound.
 */
final class NalDepacketizer implements Depacketizer {

    private final NalSyntax syntax;
    private final byte[][] parameterSets;
    private final boolean[] present;
    /** Output offsets of the parameter sets seen in the frame being written, to remember them at the end. */
    private final int[][] found;
    /** Whether the frame being walked has a key picture's unit. */
    private boolean keyInFrame;

    NalDepacketizer(NalSyntax syntax, byte[]... initialParameterSets) {
        this.syntax = syntax;
        this.parameterSets = new byte[syntax.parameterSetSlots()][];
        this.present = new boolean[parameterSets.length];
        this.found = new int[parameterSets.length][];
        for (byte[] nal : initialParameterSets) {
            int slot = nal.length >= syntax.headerLength() ? syntax.parameterSetSlot(syntax.type(nal, 0)) : -1;
            if (slot < 0) {
                throw new IllegalArgumentException("not a parameter set");
            }
            parameterSets[slot] = nal.clone();
        }
    }

    @Override
    public Codec codec() {
        return syntax.codec();
    }

    @Override
    public boolean isFrameStart(ByteBuffer p) {
        int n = p.remaining();
        int h = syntax.headerLength();
        if (n <= h) {
            return false;
        }
        return switch (syntax.packetKind(syntax.type(p, 0))) {
            case NalSyntax.SINGLE -> syntax.beginsAccessUnit(syntax.type(p, 0), p, h, n);
            case NalSyntax.AGGREGATION -> n >= h + 2 + h && syntax.beginsAccessUnit(syntax.type(p, h + 2), p,
                    h + 2 + h, n);
            case NalSyntax.FRAGMENT -> NalSyntax.fragmentStart(p, h)
                    && syntax.beginsAccessUnit(syntax.fragmentType(p, h), p, h + 1, n);
            default -> false;
        };
    }

    /** H.264 and H.265 have no mark on a frame's first packet. */
    @Override
    public boolean marksFrameStart() {
        return false;
    }

    @Override
    public boolean isFrameEnd(ByteBuffer payload, boolean marker) {
        return marker;
    }

    /** A packet holding (the start of) a key picture's unit or a parameter set. */
    @Override
    public boolean isKeyFrame(ByteBuffer p) {
        int n = p.remaining();
        int h = syntax.headerLength();
        if (n < h) {
            return false;
        }
        int type = syntax.type(p, 0);
        switch (syntax.packetKind(type)) {
            case NalSyntax.SINGLE:
                return keyOrParameterSet(type);
            case NalSyntax.AGGREGATION:
                for (int i = h; i + 2 + h <= n; ) {
                    int len = u16(p, i);
                    if (len < h || i + 2 + len > n) {
                        return false;
                    }
                    if (keyOrParameterSet(syntax.type(p, i + 2))) {
                        return true;
                    }
                    i += 2 + len;
                }
                return false;
            case NalSyntax.FRAGMENT:
                return n > h && NalSyntax.fragmentStart(p, h) && syntax.isKey(syntax.fragmentType(p, h));
            default:
                return false;
        }
    }

    private boolean keyOrParameterSet(int type) {
        return syntax.isKey(type) || syntax.parameterSetSlot(type) >= 0;
    }

    @Override
    public EncodedFrame depacketize(List<ByteBuffer> payloads, long timestamp) throws ParseException {
        Payloads.checkCount(payloads);
        Arrays.fill(present, false);
        int size = walk(payloads, null);
        boolean key = keyInFrame;
        int missing = 0;
        if (key) {
            for (int slot = 0; slot < parameterSets.length; slot++) {
                if (!present[slot] && parameterSets[slot] != null) {
                    missing += AnnexB.START_CODE.length + parameterSets[slot].length;
                }
            }
        }
        FrameBuilder out = new FrameBuilder(missing + size);
        if (missing > 0) {                                     // before everything: decoders accept that order
            for (int slot = 0; slot < parameterSets.length; slot++) {
                if (!present[slot] && parameterSets[slot] != null) {
                    out.put(AnnexB.START_CODE, 0, AnnexB.START_CODE.length);
                    out.put(parameterSets[slot], 0, parameterSets[slot].length);
                }
            }
        }
        Arrays.fill(found, null);
        walk(payloads, out);
        for (int slot = 0; slot < parameterSets.length; slot++) {
            if (found[slot] != null) {
                parameterSets[slot] = out.copy(missing + found[slot][0], missing + found[slot][1]);
            }
        }
        return new EncodedFrame(syntax.codec(), out.toArray(), timestamp, key);
    }

    /**
     * Checks the payloads and returns the size of the Annex B frame; with {@code out}, writes it there. Notes the
     * parameter sets present and whether a key unit is.
     */
    private int walk(List<ByteBuffer> payloads, FrameBuilder out) throws ParseException {
        int h = syntax.headerLength();
        int size = 0;
        int fragmentStart = -1;                                // output offset of the unit being reassembled
        int fragmentType = -1;
        keyInFrame = false;
        for (ByteBuffer p : payloads) {
            int n = p.remaining();
            if (n < h) {
                throw new ParseException(syntax.codec() + ": payload shorter than its header");
            }
            int type = syntax.type(p, 0);
            int kind = syntax.packetKind(type);
            if (fragmentStart >= 0 && kind != NalSyntax.FRAGMENT) {
                throw new ParseException(syntax.codec() + ": fragmented unit without its end");
            }
            switch (kind) {
                case NalSyntax.SINGLE -> size += unit(p, 0, n, size, out);
                case NalSyntax.AGGREGATION -> {
                    int i = h;
                    if (i + 2 > n) {
                        throw new ParseException(syntax.codec() + ": empty aggregation packet");
                    }
                    while (i < n) {
                        if (i + 2 > n) {
                            throw new ParseException(syntax.codec() + ": truncated aggregation unit size");
                        }
                        int len = u16(p, i);
                        if (len < h || i + 2 + len > n) {
                            throw new ParseException(syntax.codec() + ": aggregation unit of bad size " + len);
                        }
                        size += unit(p, i + 2, len, size, out);
                        i += 2 + len;
                    }
                }
                case NalSyntax.FRAGMENT -> {
                    int fh = syntax.fragmentHeaderLength();
                    if (n <= fh) {
                        throw new ParseException(syntax.codec() + ": fragment without data");
                    }
                    boolean start = NalSyntax.fragmentStart(p, h);
                    boolean end = NalSyntax.fragmentEnd(p, h);
                    int ftype = syntax.fragmentType(p, h);
                    if (start && end) {
                        throw new ParseException(syntax.codec() + ": fragment both first and last");
                    }
                    if (start) {
                        if (fragmentStart >= 0) {
                            throw new ParseException(syntax.codec() + ": fragmented unit without its end");
                        }
                        checkUnitType(ftype);
                        fragmentStart = size + AnnexB.START_CODE.length;
                        fragmentType = ftype;
                        if (out != null) {
                            out.put(AnnexB.START_CODE, 0, AnnexB.START_CODE.length);
                            syntax.writeFragmentedNalHeader(out, p);
                        }
                        size += AnnexB.START_CODE.length + h;
                    } else if (fragmentStart < 0 || ftype != fragmentType) {
                        throw new ParseException(syntax.codec() + ": fragment without its first part");
                    }
                    if (out != null) {
                        out.put(p, fh, n - fh);
                    }
                    size += n - fh;
                    if (end) {
                        noteUnit(fragmentType, fragmentStart, size, out);
                        fragmentStart = -1;
                    }
                }
                default -> throw new ParseException(syntax.codec() + ": unsupported packet type " + type);
            }
        }
        if (fragmentStart >= 0) {
            throw new ParseException(syntax.codec() + ": fragmented unit without its end");
        }
        if (size == 0) {
            throw new ParseException(syntax.codec() + ": no NAL unit");
        }
        return size;
    }

    /** One whole unit at {@code i}: returns the bytes it takes in Annex B form. */
    private int unit(ByteBuffer p, int i, int len, int at, FrameBuilder out) throws ParseException {
        int type = syntax.type(p, i);
        checkUnitType(type);
        if (out != null) {
            out.put(AnnexB.START_CODE, 0, AnnexB.START_CODE.length);
            out.put(p, i, len);
        }
        int start = at + AnnexB.START_CODE.length;
        noteUnit(type, start, start + len, out);
        return AnnexB.START_CODE.length + len;
    }

    private void checkUnitType(int type) throws ParseException {
        if (type < 0 || syntax.packetKind(type) != NalSyntax.SINGLE) {
            throw new ParseException(syntax.codec() + ": unit of type " + type + " inside a packet");
        }
    }

    private void noteUnit(int type, int from, int to, FrameBuilder out) {
        keyInFrame |= syntax.isKey(type);
        int slot = syntax.parameterSetSlot(type);
        if (slot >= 0) {
            present[slot] = true;
            if (out != null) {
                found[slot] = new int[] {from, to};
            }
        }
    }
}
