package org.rtc4j.media.codec.internal;

import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.common.model.Size;

/**
 * JCodec's H.264 encoder (CAVLC, I and P slices, one reference, no B slices: baseline tools only) announcing
 * what it makes: Constrained Baseline, constraint_set0 and constraint_set1 set (ITU-T H.264 A.2.1.1), which is the
 * profile every WebRTC endpoint decodes (RFC 7742 section 6.2: profile-level-id 42e0xx); and the level the
 * picture size needs (table A-1) rather than JCodec's fixed 4.0. The QP of each picture comes from outside.
 */
public final class BaselineEncoder extends org.jcodec.codecs.h264.H264Encoder {

    private int nextQp = 30;

    public BaselineEncoder() {
        this(new FixedQp());
    }

    private BaselineEncoder(FixedQp rc) {
        super(rc);
        rc.owner = this;
    }

    /** The QP of the next picture. */
    public void setQp(int qp) {
        this.nextQp = qp;
    }

    @Override
    public SeqParameterSet initSPS(Size sz) {
        SeqParameterSet sps = super.initSPS(sz);
        sps.constraintSet0Flag = true;
        sps.constraintSet1Flag = true;
        int mbs = (sps.picWidthInMbsMinus1 + 1) * (sps.picHeightInMapUnitsMinus1 + 1);
        // Table A-1 MaxFS: 3.1 up to 3600 macroblocks (1280x720), 4.0 to 8192 (2048x1024), else 5.1.
        sps.levelIdc = mbs <= 3600 ? 31 : mbs <= 8192 ? 40 : 51;
        return sps;
    }

    // The QP is set per picture; within it, a macroblock so large it would overrun JCodec's slice buffer
    // (its share of width x height bytes) is coded again 4 QP coarser.
    private static final class FixedQp implements RateControl {
        private static final int MB_BITS_CAP = 2048;
        BaselineEncoder owner;
        private int qp;

        @Override
        public int startPicture(Size sz, int maxSize, SliceType sliceType) {
            qp = owner.nextQp;
            return qp;
        }

        @Override
        public int initialQpDelta() {
            return 0;
        }

        @Override
        public int accept(int bits) {
            if (bits > MB_BITS_CAP && qp < 47) {
                qp += 4;
                return 4;
            }
            return 0;
        }
    }
}
