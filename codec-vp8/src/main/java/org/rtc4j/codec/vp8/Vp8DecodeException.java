package org.rtc4j.codec.vp8;

/** A VP8 frame that could not be decoded: corrupt, truncated or unsupported. */
public final class Vp8DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public Vp8DecodeException(String message) {
        super(message);
    }
}
