package org.rtc4j.codec.vp8.internal;

/**
 * The frame header of RFC 6386 section 9 and 19.2, with the parts that persist between frames
 * (segmentation and loop filter deltas). Read by {@link #read}; one instance is reused.
 */
final class FrameHeader {

    boolean keyFrame;
    int version;
    boolean show;
    int firstPartitionSize;

    // Segmentation (section 9.3); the feature values persist until a key frame.
    boolean segmentationEnabled;
    boolean updateSegmentMap;
    boolean segmentAbsolute;
    final int[] segmentQuant = new int[4];
    final int[] segmentFilterLevel = new int[4];
    final int[] segmentTreeProbs = {255, 255, 255};

    // Loop filter (section 9.4); the deltas persist until a key frame.
    boolean simpleFilter;
    int filterLevel;
    int sharpness;
    boolean filterDeltas;
    final int[] refDelta = new int[4];
    final int[] modeDelta = new int[4];

    int partitions;

    // Quantizer indices (section 9.6).
    int qIndex;
    int y1DcDelta;
    int y2DcDelta;
    int y2AcDelta;
    int uvDcDelta;
    int uvAcDelta;

    // References (section 9.7 to 9.8).
    boolean refreshGolden;
    boolean refreshAltref;
    int copyToGolden;
    int copyToAltref;
    final int[] signBias = new int[4];
    boolean refreshProbs;
    boolean refreshLast;

    /** Probability of a macroblock having no coefficients, or -1 when the flag is not coded. */
    int probSkip;
    int probIntra;
    int probLast;
    int probGolden;

    /** Reads the header after the frame tag, up to the coefficient probability updates. */
    void readUpToProbabilities(BoolDecoder d) throws Vp8Error {
        if (keyFrame) {
            d.readBit(); // color space: no effect on decoding (section 9.2)
            d.readBit(); // clamping type: the decoder clamps motion vectors either way
            segmentAbsolute = false;
            java.util.Arrays.fill(segmentQuant, 0);
            java.util.Arrays.fill(segmentFilterLevel, 0);
            java.util.Arrays.fill(refDelta, 0);
            java.util.Arrays.fill(modeDelta, 0);
        }
        segmentationEnabled = d.readBit() != 0;
        updateSegmentMap = false;
        if (segmentationEnabled) {
            updateSegmentMap = d.readBit() != 0;
            boolean updateData = d.readBit() != 0;
            if (updateData) {
                segmentAbsolute = d.readBit() != 0;
                for (int i = 0; i < 4; i++) {
                    segmentQuant[i] = d.readOptionalSigned(7);
                }
                for (int i = 0; i < 4; i++) {
                    segmentFilterLevel[i] = d.readOptionalSigned(6);
                }
            }
            if (updateSegmentMap) {
                for (int i = 0; i < 3; i++) {
                    segmentTreeProbs[i] = d.readBit() != 0 ? d.readLiteral(8) : 255;
                }
            }
        }
        simpleFilter = d.readBit() != 0;
        filterLevel = d.readLiteral(6);
        sharpness = d.readLiteral(3);
        filterDeltas = d.readBit() != 0;
        if (filterDeltas && d.readBit() != 0) {
            // A delta whose flag is clear keeps its value, as libvpx does.
            for (int i = 0; i < 4; i++) {
                if (d.readBit() != 0) {
                    int v = d.readLiteral(6);
                    refDelta[i] = d.readBit() != 0 ? -v : v;
                }
            }
            for (int i = 0; i < 4; i++) {
                if (d.readBit() != 0) {
                    int v = d.readLiteral(6);
                    modeDelta[i] = d.readBit() != 0 ? -v : v;
                }
            }
        }
        partitions = 1 << d.readLiteral(2);
        qIndex = d.readLiteral(7);
        y1DcDelta = d.readOptionalSigned(4);
        y2DcDelta = d.readOptionalSigned(4);
        y2AcDelta = d.readOptionalSigned(4);
        uvDcDelta = d.readOptionalSigned(4);
        uvAcDelta = d.readOptionalSigned(4);
        if (keyFrame) {
            refreshGolden = true;
            refreshAltref = true;
            copyToGolden = 0;
            copyToAltref = 0;
            signBias[Tables.GOLDEN_FRAME] = 0;
            signBias[Tables.ALTREF_FRAME] = 0;
            refreshProbs = d.readBit() != 0;
            refreshLast = true;
        } else {
            refreshGolden = d.readBit() != 0;
            refreshAltref = d.readBit() != 0;
            copyToGolden = refreshGolden ? 0 : d.readLiteral(2);
            copyToAltref = refreshAltref ? 0 : d.readLiteral(2);
            signBias[Tables.GOLDEN_FRAME] = d.readBit();
            signBias[Tables.ALTREF_FRAME] = d.readBit();
            refreshProbs = d.readBit() != 0;
            refreshLast = d.readBit() != 0;
        }
        if (copyToGolden == 3 || copyToAltref == 3) {
            throw new Vp8Error("reserved reference copy value");
        }
    }

    /** Reads the probability updates (section 9.9 to 9.11, 13.4, 17.2) into p. */
    void readProbabilities(BoolDecoder d, Probabilities p) {
        int[] coeff = p.coeff;
        int[] upd = Tables.COEFF_UPDATE_PROBS;
        for (int i = 0; i < coeff.length; i++) {
            if (d.read(upd[i]) != 0) {
                coeff[i] = d.readLiteral(8);
            }
        }
        probSkip = d.readBit() != 0 ? d.readLiteral(8) : -1;
        if (!keyFrame) {
            probIntra = d.readLiteral(8);
            probLast = d.readLiteral(8);
            probGolden = d.readLiteral(8);
            if (d.readBit() != 0) {
                for (int i = 0; i < 4; i++) {
                    p.yMode[i] = d.readLiteral(8);
                }
            }
            if (d.readBit() != 0) {
                for (int i = 0; i < 3; i++) {
                    p.uvMode[i] = d.readLiteral(8);
                }
            }
            for (int i = 0; i < 2 * 19; i++) {
                if (d.read(Tables.MV_UPDATE_PROBS[i]) != 0) {
                    int x = d.readLiteral(7);
                    p.mv[i] = x != 0 ? x << 1 : 1;
                }
            }
        }
    }

    /** RFC 6386 section 9.6 and 14.1: Y DC, Y AC, UV DC, UV AC, Y2 DC and Y2 AC factors for index q. */
    void dequantFactors(int q, int[] f) {
        q = clampQ(q);
        f[0] = Tables.DC_Q[clampQ(q + y1DcDelta)];
        f[1] = Tables.AC_Q[q];
        f[2] = Math.min(Tables.DC_Q[clampQ(q + uvDcDelta)], 132);
        f[3] = Tables.AC_Q[clampQ(q + uvAcDelta)];
        f[4] = Tables.DC_Q[clampQ(q + y2DcDelta)] * 2;
        f[5] = Math.max(Tables.AC_Q[clampQ(q + y2AcDelta)] * 155 / 100, 8);
    }

    private static int clampQ(int q) {
        return q < 0 ? 0 : q > 127 ? 127 : q;
    }
}
