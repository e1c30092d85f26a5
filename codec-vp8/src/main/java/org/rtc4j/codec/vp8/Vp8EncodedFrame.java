package org.rtc4j.codec.vp8;

/**
 * One compressed VP8 frame as {@link Vp8Encoder} returns it: its bytes (owned by the caller),
 * whether it is a key frame, and its temporal layer (0 is the base layer; a forwarder may drop
 * the frames of higher layers, which no other frame of a lower layer references).
 */
public record Vp8EncodedFrame(byte[] data, boolean keyFrame, int temporalLayer) {}
