package org.rtc4j.media.codec.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.jcodec.codecs.h264.decode.BlockInterpolator;
import org.jcodec.codecs.h264.encode.EncodedMB;
import org.jcodec.codecs.h264.encode.MBEncoderP16x16;
import org.jcodec.codecs.h264.io.CAVLC;
import org.jcodec.codecs.h264.io.model.MBType;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * Whether a macroblock of a P slice is coded as P_Skip, and if so its reconstruction. A skipped macroblock is its
 * motion-compensated prediction with no residual, at the motion vector the decoder infers (ITU-T H.264 section
 * 8.4.1.1): zero when the left or upper neighbour is missing or has a zero vector, else the median prediction of
 * 8.4.1.3. It is skipped when that prediction is about as close to the picture as coding it at this QP would get:
 * its squared error per pixel within the quantiser's own noise (step squared over 16; the step doubles every 6 QP,
 * 8.5.12), over the macroblock and, four times looser, in every 4x4 luma block, so that a small change (a digit of
 * a clock) is never skipped over.
 *
 * <p>JCodec's P_16x16 encoder keeps its neighbours' motion vectors to itself: a skipped macroblock's vector is written
 * into that state, as coding it would have, so the vectors it predicts for the next ones match the decoder's.
 */
final class SkipDecision {

    private static final VarHandle LEFT_X;
    private static final VarHandle LEFT_Y;
    private static final VarHandle TOP_LEFT_X;
    private static final VarHandle TOP_LEFT_Y;
    private static final VarHandle TOP_X;
    private static final VarHandle TOP_Y;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(MBEncoderP16x16.class, MethodHandles.lookup());
            LEFT_X = l.findVarHandle(MBEncoderP16x16.class, "mvLeftX", int.class);
            LEFT_Y = l.findVarHandle(MBEncoderP16x16.class, "mvLeftY", int.class);
            TOP_LEFT_X = l.findVarHandle(MBEncoderP16x16.class, "mvTopLeftX", int.class);
            TOP_LEFT_Y = l.findVarHandle(MBEncoderP16x16.class, "mvTopLeftY", int.class);
            TOP_X = l.findVarHandle(MBEncoderP16x16.class, "mvTopX", int[].class);
            TOP_Y = l.findVarHandle(MBEncoderP16x16.class, "mvTopY", int[].class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this JCodec version's MBEncoderP16x16 is not the one rtc4j knows", e);
        }
    }

    private final int mbWidth;
    private final BlockInterpolator interpolator = new BlockInterpolator();
    private final Picture prediction = Picture.create(16, 16, ColorSpace.YUV420J);

    SkipDecision(int mbWidth) {
        this.mbWidth = mbWidth;
    }

    /**
     * Skips the macroblock if its prediction is close enough: then {@code out} holds its reconstruction and the
     * encoders' neighbour state (vectors, CAVLC coefficient counts) is as the decoder's will be.
     */
    boolean trySkip(Picture pic, Picture ref, MBEncoderP16x16 inter, CAVLC[] cavlc, int mbX, int mbY, int qp,
            EncodedMB out) {
        int[] topX = (int[]) TOP_X.get(inter);
        int[] topY = (int[]) TOP_Y.get(inter);
        int mvx = 0;
        int mvy = 0;
        if (mbX > 0 && mbY > 0) {
            int ax = (int) LEFT_X.get(inter);
            int ay = (int) LEFT_Y.get(inter);
            int bx = topX[mbX];
            int by = topY[mbX];
            if ((ax | ay) != 0 && (bx | by) != 0) {
                boolean right = mbX + 1 < mbWidth;   // C, the upper right; else D, the upper left (8.4.1.3.2)
                int cx = right ? topX[mbX + 1] : (int) TOP_LEFT_X.get(inter);
                int cy = right ? topY[mbX + 1] : (int) TOP_LEFT_Y.get(inter);
                mvx = median(ax, bx, cx);
                mvy = median(ay, by, cy);
            }
        }
        double step = 0.625 * Math.pow(2, qp / 6.0);
        long noise = Math.max(1, Math.round(step * step / 16));
        if (!predictAndCompare(pic, ref, mbX, mbY, mvx, mvy, noise)) {
            return false;
        }
        // The macroblock is the prediction: pixels, vectors, no coefficients.
        Picture px = out.getPixels();
        for (int plane = 0; plane < 3; plane++) {
            System.arraycopy(prediction.getPlaneData(plane), 0, px.getPlaneData(plane), 0,
                    prediction.getPlaneData(plane).length);
        }
        Arrays.fill(out.getMx(), mvx);
        Arrays.fill(out.getMy(), mvy);
        Arrays.fill(out.getNc(), 0);
        out.setType(MBType.P_16x16);
        out.setQp(qp);
        for (int i = 0; i < 4; i++) {
            cavlc[0].setZeroCoeff((mbX << 2) + i, (mbY << 2) + i);
        }
        for (int i = 0; i < 2; i++) {
            cavlc[1].setZeroCoeff((mbX << 1) + i, (mbY << 1) + i);
            cavlc[2].setZeroCoeff((mbX << 1) + i, (mbY << 1) + i);
        }
        TOP_LEFT_X.set(inter, topX[mbX]);
        TOP_LEFT_Y.set(inter, topY[mbX]);
        topX[mbX] = mvx;
        topY[mbX] = mvy;
        LEFT_X.set(inter, mvx);
        LEFT_Y.set(inter, mvy);
        return true;
    }

    // The prediction at quarter-pel vector (mvx, mvy), as JCodec's decoder and P_16x16 encoder make it; chroma
    // only when luma already passes.
    private boolean predictAndCompare(Picture pic, Picture ref, int mbX, int mbY, int mvx, int mvy, long noise) {
        int x = (mbX << 6) + mvx;
        int y = (mbY << 6) + mvy;
        interpolator.getBlockLuma(ref, prediction, 0, x, y, 16, 16);
        if (!lumaClose(pic, mbX, mbY, noise)) {
            return false;
        }
        for (int plane = 1; plane < 3; plane++) {
            BlockInterpolator.getBlockChroma(ref.getPlaneData(plane), ref.getPlaneWidth(plane),
                    ref.getPlaneHeight(plane), prediction.getPlaneData(plane), 0, 8, x, y, 8, 8);
            if (!chromaClose(pic, plane, mbX, mbY, noise)) {
                return false;
            }
        }
        return true;
    }

    private boolean lumaClose(Picture pic, int mbX, int mbY, long noise) {
        byte[] src = pic.getPlaneData(0);
        byte[] pred = prediction.getPlaneData(0);
        int stride = pic.getPlaneWidth(0);
        long total = 0;
        for (int by = 0; by < 4; by++) {
            for (int bx = 0; bx < 4; bx++) {
                long block = 0;
                for (int y = 0; y < 4; y++) {
                    int s = ((mbY << 4) + (by << 2) + y) * stride + (mbX << 4) + (bx << 2);
                    int p = ((by << 2) + y) * 16 + (bx << 2);
                    for (int x = 0; x < 4; x++) {
                        int d = src[s + x] - pred[p + x];
                        block += d * d;
                    }
                }
                if (block > 16 * 4 * noise) {
                    return false;
                }
                total += block;
            }
        }
        return total <= 256 * noise;
    }

    private boolean chromaClose(Picture pic, int plane, int mbX, int mbY, long noise) {
        byte[] src = pic.getPlaneData(plane);
        byte[] pred = prediction.getPlaneData(plane);
        int stride = pic.getPlaneWidth(plane);
        long total = 0;
        for (int y = 0; y < 8; y++) {
            int s = ((mbY << 3) + y) * stride + (mbX << 3);
            for (int x = 0; x < 8; x++) {
                int d = src[s + x] - pred[y * 8 + x];
                total += d * d;
            }
        }
        return total <= 64 * noise;
    }

    private static int median(int a, int b, int c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
