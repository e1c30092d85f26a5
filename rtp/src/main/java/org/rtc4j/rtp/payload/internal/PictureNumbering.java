package org.rtc4j.rtp.payload.internal;

/**
 * The numbers VP8 and VP9 payload descriptors give the frames of one outgoing stream (RFC 7741 section 4.2,
 * RFC 9628 section 4.2): a 15-bit picture ID, one more per frame, and TL0PICIDX, one more per base-layer frame.
 * Layer fields are sent from the first frame with a layer on (a stream without layers does not need them).
 */
final class PictureNumbering {

    private int pictureId;
    private int tl0PicIdx;
    private boolean layered;
    private boolean firstBaseFrame = true;

    PictureNumbering(int firstPictureId, int firstTl0PicIdx) {
        this.pictureId = firstPictureId & 0x7FFF;
        this.tl0PicIdx = firstTl0PicIdx & 0xFF;
    }

    /** Counts a frame before its packets are written; base-layer frames are counted even before layers appear. */
    void frame(boolean baseLayer, boolean hasLayer) {
        layered |= hasLayer;
        if (baseLayer) {
            if (!firstBaseFrame) {
                tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
            }
            firstBaseFrame = false;
        }
    }

    /** After the frame's packets: the next frame's picture ID, wrapping at 15 bits. */
    void sent() {
        pictureId = (pictureId + 1) & 0x7FFF;
    }

    int tl0PicIdx() {
        return tl0PicIdx;
    }

    boolean layered() {
        return layered;
    }

    /** The picture ID as the descriptors carry it: M=1, then 15 bits. */
    void write(PayloadWriter w) {
        w.put(0x80 | pictureId >>> 8);
        w.put(pictureId & 0xFF);
    }
}
