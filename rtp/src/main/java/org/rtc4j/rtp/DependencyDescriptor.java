package org.rtc4j.rtp;

import java.nio.ByteBuffer;
import org.rtc4j.core.ParseException;
import org.rtc4j.rtp.internal.BitReader;

/**
 * The AV1 dependency descriptor header extension (AV1 RTP payload format, appendix A), read far enough to know
 * frame boundaries, the frame's template, layers, decode target indications, references and chains.
 *
 * <pre>
 *  0                   1                   2
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |S|E| template id |         frame number          |  mandatory fields; then, when the element
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  is longer than 3 bytes, the extended fields:
 * |T|A|D|F|C| template dependency structure, active decode targets, custom DTIs/fdiffs/chains ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param startOfFrame            S: the first packet of the frame
 * @param endOfFrame              E: the last packet of the frame
 * @param templateId              frame_dependency_template_id
 * @param frameNumber             16-bit frame number
 * @param structure               the structure this descriptor carried, or the one it was read with
 * @param structureAttached       whether this descriptor carried {@code structure}
 * @param activeDecodeTargets     bitmask of the active decode targets
 * @param spatialId               the frame's spatial layer
 * @param temporalId              the frame's temporal layer
 * @param frameDti                per decode target
 * @param frameFdiffs             frame number differences to the referenced frames
 * @param frameChainFdiff         per chain
 */
public record DependencyDescriptor(boolean startOfFrame, boolean endOfFrame, int templateId, int frameNumber,
                                   DependencyStructure structure, boolean structureAttached, long activeDecodeTargets,
                                   int spatialId, int temporalId, int[] frameDti, int[] frameFdiffs,
                                   int[] frameChainFdiff) {

    public static final String URI =
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

    /** More templates than 64 cannot be addressed by the 6-bit template id (A.8.1). */
    private static final int MAX_TEMPLATES = 64;
    /** DtCnt is 5 bits + 1. */
    private static final int MAX_DECODE_TARGETS = 32;

    /**
     * Reads a descriptor. {@code latest} is the last structure received on the stream (null when none): a
     * descriptor without a structure of its own can only be read against it.
     */
    public static DependencyDescriptor read(ByteBuffer buf, int offset, int length, DependencyStructure latest)
            throws ParseException {
        if (length < 3) {
            throw new ParseException("dependency descriptor of " + length + " bytes");
        }
        BitReader r = new BitReader(buf, offset, length);
        boolean start = r.bit() == 1;
        boolean end = r.bit() == 1;
        int templateId = (int) r.f(6);
        int frameNumber = (int) r.f(16);
        boolean customDtis = false;
        boolean customFdiffs = false;
        boolean customChains = false;
        boolean attached = false;
        DependencyStructure structure = latest;
        long active = -1;
        if (length > 3) {
            boolean structurePresent = r.bit() == 1;
            boolean activePresent = r.bit() == 1;
            customDtis = r.bit() == 1;
            customFdiffs = r.bit() == 1;
            customChains = r.bit() == 1;
            if (structurePresent) {
                structure = readStructure(r);
                attached = true;
                active = (1L << structure.decodeTargetCount()) - 1;
            }
            if (activePresent) {
                if (structure == null) {
                    throw new ParseException("active decode targets without a dependency structure");
                }
                active = r.f(structure.decodeTargetCount());
            }
        }
        if (structure == null) {
            throw new ParseException("dependency descriptor without a known dependency structure");
        }
        if (active < 0) {
            active = (1L << structure.decodeTargetCount()) - 1;
        }
        int index = (templateId + MAX_TEMPLATES - structure.templateIdOffset()) % MAX_TEMPLATES;
        if (index >= structure.templateCount()) {
            throw new ParseException("template " + templateId + " not in the structure");
        }
        int dtCount = structure.decodeTargetCount();
        int[] dti;
        if (customDtis) {
            dti = new int[dtCount];
            for (int i = 0; i < dtCount; i++) {
                dti[i] = (int) r.f(2);
            }
        } else {
            dti = structure.templateDti()[index];
        }
        int[] fdiffs;
        if (customFdiffs) {
            int[] tmp = new int[16];
            int n = 0;
            for (int size = (int) r.f(2); size != 0; size = (int) r.f(2)) {
                if (n == tmp.length) {
                    throw new ParseException("too many frame references");
                }
                tmp[n++] = (int) r.f(4 * size) + 1;
            }
            fdiffs = java.util.Arrays.copyOf(tmp, n);
        } else {
            fdiffs = structure.templateFdiffs()[index];
        }
        int[] chains;
        if (customChains) {
            chains = new int[structure.chainCount()];
            for (int i = 0; i < chains.length; i++) {
                chains[i] = (int) r.f(8);
            }
        } else {
            chains = structure.templateChainFdiff()[index];
        }
        return new DependencyDescriptor(start, end, templateId, frameNumber, structure, attached, active,
                structure.templateSpatialId()[index], structure.templateTemporalId()[index], dti, fdiffs, chains);
    }

    private static DependencyStructure readStructure(BitReader r) throws ParseException {
        int idOffset = (int) r.f(6);
        int dtCount = (int) r.f(5) + 1;
        // template_layers()
        int[] spatial = new int[MAX_TEMPLATES];
        int[] temporal = new int[MAX_TEMPLATES];
        int count = 0;
        int s = 0;
        int t = 0;
        int next;
        do {
            if (count == MAX_TEMPLATES) {
                throw new ParseException("more than " + MAX_TEMPLATES + " templates");
            }
            spatial[count] = s;
            temporal[count] = t;
            count++;
            next = (int) r.f(2);
            if (next == 1) {
                t++;
            } else if (next == 2) {
                t = 0;
                s++;
            }
        } while (next != 3);
        spatial = java.util.Arrays.copyOf(spatial, count);
        temporal = java.util.Arrays.copyOf(temporal, count);
        // template_dtis()
        int[][] dtis = new int[count][dtCount];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < dtCount; d++) {
                dtis[i][d] = (int) r.f(2);
            }
        }
        // template_fdiffs()
        int[][] fdiffs = new int[count][];
        int[] tmp = new int[16];
        for (int i = 0; i < count; i++) {
            int n = 0;
            while (r.bit() == 1) {
                if (n == tmp.length) {
                    throw new ParseException("too many template references");
                }
                tmp[n++] = (int) r.f(4) + 1;
            }
            fdiffs[i] = java.util.Arrays.copyOf(tmp, n);
        }
        // template_chains()
        int chainCount = r.ns(dtCount + 1);
        int[] protectedBy = new int[chainCount == 0 ? 0 : dtCount];
        int[][] chainFdiff = new int[count][chainCount];
        if (chainCount > 0) {
            for (int d = 0; d < dtCount; d++) {
                protectedBy[d] = r.ns(chainCount);
            }
            for (int i = 0; i < count; i++) {
                for (int c = 0; c < chainCount; c++) {
                    chainFdiff[i][c] = (int) r.f(4);
                }
            }
        }
        // decode_target_layers()
        int[] dtSpatial = new int[dtCount];
        int[] dtTemporal = new int[dtCount];
        for (int d = 0; d < dtCount; d++) {
            for (int i = 0; i < count; i++) {
                if (dtis[i][d] != 0) {
                    dtSpatial[d] = Math.max(dtSpatial[d], spatial[i]);
                    dtTemporal[d] = Math.max(dtTemporal[d], temporal[i]);
                }
            }
        }
        int[] widths = new int[0];
        int[] heights = new int[0];
        if (r.bit() == 1) {
            int layers = s + 1;
            widths = new int[layers];
            heights = new int[layers];
            for (int i = 0; i < layers; i++) {
                widths[i] = (int) r.f(16) + 1;
                heights[i] = (int) r.f(16) + 1;
            }
        }
        if (dtCount > MAX_DECODE_TARGETS) {
            throw new ParseException("decode targets " + dtCount);
        }
        return new DependencyStructure(idOffset, dtCount, spatial, temporal, dtis, fdiffs, chainCount, protectedBy,
                chainFdiff, dtSpatial, dtTemporal, widths, heights);
    }

    /** Whether the frame is part of decode target {@code dt} (its indication is not "not present"). */
    public boolean inDecodeTarget(int dt) {
        return dt >= 0 && dt < frameDti.length && frameDti[dt] != 0;
    }
}
