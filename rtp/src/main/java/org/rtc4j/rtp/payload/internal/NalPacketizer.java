package org.rtc4j.rtp.payload.internal;

import java.util.Arrays;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.Packetizer;

/**
 * Packetizes H.264/H.265 access units (Annex B): a unit that fits goes alone (single NAL unit packet) or, when
 * aggregation is allowed, with its neighbours that also fit in an aggregation packet (STAP-A; AP); a unit too big
 * is cut into fragmentation units (FU-A; FU). H.264 packetization-mode 0 allows single units only.
 *
 * <p>A key frame that lacks a parameter set gets the last one of each kind sent before it, so a receiver that
 * joins late or lost the first key frame can decode it.
 */
final class NalPacketizer implements Packetizer {

    private final NalSyntax syntax;
    private final boolean aggregateAndFragment;
    private final byte[][] parameterSets;
    private final boolean[] present;
    private final NalList units = new NalList();
    private final PayloadWriter writer = new PayloadWriter();

    NalPacketizer(NalSyntax syntax, boolean aggregateAndFragment) {
        this.syntax = syntax;
        this.aggregateAndFragment = aggregateAndFragment;
        this.parameterSets = new byte[syntax.parameterSetSlots()][];
        this.present = new boolean[parameterSets.length];
    }

    @Override
    public void packetize(EncodedFrame frame, int maxPayloadSize, PayloadSink out) {
        Payloads.checkFrame(frame, syntax.codec(), maxPayloadSize, syntax.fragmentHeaderLength() + 1);
        units.clear();
        int count = AnnexB.split(frame.data(), units);
        if (count == 0) {
            throw new IllegalArgumentException(syntax.codec() + " frame without NAL units");
        }
        int h = syntax.headerLength();
        for (int i = 0; i < units.size(); i++) {
            if (units.length(i) <= h) {
                throw new IllegalArgumentException(syntax.codec() + " NAL unit of " + units.length(i) + " bytes");
            }
            // Refused before any packet goes: a frame is sent whole or not at all
            if (!aggregateAndFragment && units.length(i) > maxPayloadSize) {
                throw new IllegalArgumentException("a NAL unit of " + units.length(i) + " bytes exceeds the payload "
                        + "size " + maxPayloadSize + " in packetization-mode 0");
            }
        }
        addParameterSets();
        int i = 0;
        while (i < units.size()) {
            boolean last = i == units.size() - 1;
            int len = units.length(i);
            if (len > maxPayloadSize) {
                fragment(units.array(i), units.offset(i), len, maxPayloadSize, last, out);
                i++;
                continue;
            }
            int j = i + 1;                                     // how many neighbours fit in one aggregation
            int size = h + 2 + len;
            while (aggregateAndFragment && j < units.size() && size + 2 + units.length(j) <= maxPayloadSize
                    && len <= 0xFFFF && units.length(j) <= 0xFFFF) {       // 16-bit sizes in aggregation packets
                size += 2 + units.length(j);
                j++;
            }
            writer.begin(maxPayloadSize);
            if (j - i == 1) {
                writer.put(units.array(i), units.offset(i), len);
            } else {
                syntax.writeAggregationHeader(writer, units, i, j);
                for (int k = i; k < j; k++) {
                    writer.put(units.length(k) >>> 8);
                    writer.put(units.length(k) & 0xFF);
                    writer.put(units.array(k), units.offset(k), units.length(k));
                }
            }
            i = j;
            writer.emit(out, i == units.size());
        }
    }

    private void fragment(byte[] nal, int off, int len, int max, boolean lastUnit, PayloadSink out) {
        int h = syntax.headerLength();
        int room = max - syntax.fragmentHeaderLength();
        int pos = off + h;
        int end = off + len;
        while (pos < end) {
            int n = Math.min(room, end - pos);
            writer.begin(max);
            syntax.writeFragmentHeaders(writer, nal, off, pos == off + h, pos + n == end);
            writer.put(nal, pos, n);
            pos += n;
            writer.emit(out, lastUnit && pos == end);
        }
    }

    /** Remembers this frame's parameter sets, or puts the remembered ones before a key frame's first unit. */
    private void addParameterSets() {
        boolean key = false;
        Arrays.fill(present, false);
        for (int i = 0; i < units.size(); i++) {
            int type = syntax.type(units.array(i), units.offset(i));
            int slot = syntax.parameterSetSlot(type);
            if (slot >= 0) {
                present[slot] = true;
                byte[] known = parameterSets[slot];
                int from = units.offset(i);
                int to = from + units.length(i);
                if (known == null || !Arrays.equals(known, 0, known.length, units.array(i), from, to)) {
                    parameterSets[slot] = Arrays.copyOfRange(units.array(i), from, to);   // a new one only
                }
            } else if (syntax.isKey(type)) {
                key = true;
            }
        }
        if (!key) {
            return;
        }
        for (int slot = 0; slot < parameterSets.length; slot++) {
            if (!present[slot] && parameterSets[slot] != null) {
                units.insert(insertionPoint(slot), parameterSets[slot], 0, parameterSets[slot].length);
            }
        }
    }

    /** In decoding order: before the first parameter set of a later kind, or else before the first key unit. */
    private int insertionPoint(int slot) {
        for (int i = 0; i < units.size(); i++) {
            int type = syntax.type(units.array(i), units.offset(i));
            if (syntax.parameterSetSlot(type) > slot || syntax.isKey(type)) {
                return i;
            }
        }
        return 0;
    }
}
