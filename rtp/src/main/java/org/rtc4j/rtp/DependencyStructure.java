package org.rtc4j.rtp;

import java.util.Arrays;

/**
 * The template dependency structure of the AV1 dependency descriptor (AV1 RTP payload format, appendix A.8.1),
 * sent with key frames and needed to read the descriptors of the frames after them. Immutable.
 *
 * @param templateIdOffset        template_id_offset
 * @param decodeTargetCount       DtCnt
 * @param templateSpatialId       per template
 * @param templateTemporalId      per template
 * @param templateDti             per template, per decode target: 0 not present, 1 discardable, 2 switch,
 *                                3 required
 * @param templateFdiffs          per template, the frame number differences of its references
 * @param chainCount              chain_cnt
 * @param decodeTargetProtectedBy per decode target, its chain
 * @param templateChainFdiff      per template, per chain
 * @param decodeTargetSpatialId   per decode target, its highest spatial layer
 * @param decodeTargetTemporalId  per decode target, its highest temporal layer
 * @param renderWidths            per spatial layer, empty when not sent
 * @param renderHeights           per spatial layer, empty when not sent
 */
public record DependencyStructure(int templateIdOffset, int decodeTargetCount, int[] templateSpatialId,
                                  int[] templateTemporalId, int[][] templateDti, int[][] templateFdiffs,
                                  int chainCount, int[] decodeTargetProtectedBy, int[][] templateChainFdiff,
                                  int[] decodeTargetSpatialId, int[] decodeTargetTemporalId, int[] renderWidths,
                                  int[] renderHeights) {

    public int templateCount() {
        return templateSpatialId.length;
    }

    public int maxSpatialId() {
        return Arrays.stream(templateSpatialId).max().orElse(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DependencyStructure s && templateIdOffset == s.templateIdOffset
                && decodeTargetCount == s.decodeTargetCount && Arrays.equals(templateSpatialId, s.templateSpatialId)
                && Arrays.equals(templateTemporalId, s.templateTemporalId)
                && Arrays.deepEquals(templateDti, s.templateDti) && Arrays.deepEquals(templateFdiffs, s.templateFdiffs)
                && chainCount == s.chainCount && Arrays.equals(decodeTargetProtectedBy, s.decodeTargetProtectedBy)
                && Arrays.deepEquals(templateChainFdiff, s.templateChainFdiff)
                && Arrays.equals(renderWidths, s.renderWidths) && Arrays.equals(renderHeights, s.renderHeights);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {templateIdOffset, decodeTargetCount, templateSpatialId,
                templateTemporalId, templateDti});
    }

    @Override
    public String toString() {
        return "DependencyStructure[" + templateCount() + " templates, " + decodeTargetCount + " decode targets, "
                + chainCount + " chains]";
    }
}
