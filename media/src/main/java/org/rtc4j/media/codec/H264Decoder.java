package org.rtc4j.media.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.io.model.Frame;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.media.codec.internal.JCodecDecoders;
import org.rtc4j.media.codec.internal.JCodecPictures;
import org.rtc4j.media.codec.internal.ParameterSetCheck;
import org.rtc4j.media.codec.internal.RtpTime;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * H.264 decoding on JCodec: Constrained Baseline (what browsers send), Baseline, Main and High profile (CABAC, B
 * pictures, 8x8 transforms), progressive 4:2:0 8-bit; JCodec refuses the rest (interlace, for one) and so do we,
 * with a clear error. Input is Annex B access units in decode order; output is I420 in display order: a
 * stream with B pictures is reordered by picture order count (ITU-T H.264 section 8.2.1) through a buffer as
 * deep as the SPS's {@code max_num_reorder_frames} says (VUI, annex E), or its reference frame count when it
 * does not say; baseline streams are output at once.
 *
 * <p>Hostile input: an access unit before any SPS, an SPS larger than level 5.1's 36 864 macroblocks (so no
 * input can make us allocate more than that), and anything JCodec throws on are refused with
 * {@link IllegalArgumentException} and counted; the next IDR picture starts over. JCodec's own slice threads are
 * turned off: decoding runs on the caller's thread only.
 *
 * <p>CABAC (main and high profile, as Chromium and ffmpeg send beyond constrained baseline) is taken from anyone.
 * JCodec 0.2.5 reads some syntax elements without the standard's bounds (CABAC's mb_qp_delta and ref_idx, a slice
 * header's reference list modification, array sizes in parameter sets) and, past a crafted slice's end, would loop
 * for ever or allocate gigabytes; JCodec reads through our {@code BoundedFrameReader}, which checks parameter sets
 * and slice headers first and holds each access unit to the CABAC bins H.264 section 7.4.2.10 allows, so such a
 * unit is refused like any other malformed input.
 */
public final class H264Decoder implements VideoDecoder {

    private static final int NAL_IDR = 5;
    private static final int NAL_SPS = 7;

    static {
        // JCodec warns on standard output for each odd macroblock: hostile input would flood it.
        org.jcodec.common.logging.Logger.setLevel(org.jcodec.common.logging.LogLevel.ERROR);
    }

    private final org.jcodec.codecs.h264.H264Decoder decoder = JCodecDecoders.singleThreaded();
    private final RtpTime clock = new RtpTime(Codec.H264.clockRate());
    private final List<Pending> pending = new ArrayList<>();
    private byte[][] buffer;
    private int reorder;
    private boolean haveSps;
    private long malformed;

    private record Pending(int poc, VideoFrame frame) {
    }

    @Override
    public Codec codec() {
        return Codec.H264;
    }

    /** Access units refused. */
    public long malformed() {
        return malformed;
    }

    @Override
    public List<VideoFrame> decode(EncodedFrame frame) {
        if (frame.codec() != Codec.H264) {
            throw new IllegalArgumentException("not H.264: " + frame);
        }
        long micros = clock.micros(frame.timestamp());
        // A copy: JCodec removes emulation prevention bytes in place, and the frame's bytes are not ours to change.
        List<ByteBuffer> nals = H264Utils.splitFrame(ByteBuffer.wrap(frame.data().clone()));
        boolean idr = false;
        for (ByteBuffer nal : nals) {
            if (!nal.hasRemaining()) {
                continue;
            }
            int type = nal.get(nal.position()) & 0x1F;
            if (type == NAL_SPS) {
                readSps(nal);
            } else if (type == NAL_IDR) {
                idr = true;
            }
        }
        if (!haveSps) {
            malformed++;
            throw new IllegalArgumentException("H.264 access unit before any SPS: waiting for a key frame");
        }
        List<VideoFrame> out = new ArrayList<>(2);
        if (idr) {
            drain(out, 0);   // picture order counts start over at an IDR picture (8.2.1)
        }
        Frame decoded;
        try {
            decoded = decoder.decodeFrameFromNals(nals, buffer);
        } catch (RuntimeException e) {
            malformed++;
            throw new IllegalArgumentException("undecodable H.264 access unit (" + frame.data().length + " bytes): "
                    + e, e);
        }
        if (decoded == null) {
            return out;   // parameter sets only, or no slice
        }
        org.jcodec.common.model.Rect crop = decoded.getCrop();
        int left = crop == null ? 0 : crop.getX();
        int top = crop == null ? 0 : crop.getY();
        int w = crop == null ? decoded.getWidth() : crop.getWidth();
        int h = crop == null ? decoded.getHeight() : crop.getHeight();
        VideoFrame picture = JCodecPictures.toFrame(decoded.getData(), decoded.getPlaneWidth(0), left, top, w & ~1,
                h & ~1, micros);
        pending.add(new Pending(decoded.getPOC(), picture));
        drain(out, reorder);
        return out;
    }

    @Override
    public List<VideoFrame> flush() {
        List<VideoFrame> out = new ArrayList<>();
        drain(out, 0);
        return out;
    }

    // Outputs the lowest picture order counts until at most `keep` pictures wait.
    private void drain(List<VideoFrame> out, int keep) {
        while (pending.size() > keep) {
            int min = 0;
            for (int i = 1; i < pending.size(); i++) {
                if (pending.get(i).poc() < pending.get(min).poc()) {
                    min = i;
                }
            }
            out.add(pending.remove(min).frame());
        }
    }

    private void readSps(ByteBuffer nal) {
        ByteBuffer body = nal.duplicate();
        body.get();   // NAL header
        ByteBuffer copy = ByteBuffer.allocate(body.remaining());
        copy.put(body).flip();
        SeqParameterSet sps;
        try {
            H264Utils.unescapeNAL(copy);
            ParameterSetCheck.sps(copy);   // ranges (7.4.2.1.1), and no picture past level 5.1's 36 864 macroblocks
            sps = SeqParameterSet.read(copy);
        } catch (RuntimeException e) {
            malformed++;
            throw new IllegalArgumentException("malformed H.264 SPS: " + e, e);
        }
        int size = (sps.picWidthInMbsMinus1 + 1) * (sps.picHeightInMapUnitsMinus1 + 1)
                * (sps.frameMbsOnlyFlag ? 1 : 2) * 256;
        if (buffer == null || buffer[0].length != size) {
            buffer = new byte[][] {new byte[size], new byte[size / 4], new byte[size / 4]};
        }
        if (sps.profileIdc == 66) {
            reorder = 0;   // baseline has no B slices: decode order is display order
        } else if (sps.vuiParams != null && sps.vuiParams.bitstreamRestriction != null) {
            reorder = Math.min(16, Math.max(0, sps.vuiParams.bitstreamRestriction.numReorderFrames));
        } else {
            reorder = Math.min(16, Math.max(0, sps.numRefFrames));
        }
        haveSps = true;
    }
}
