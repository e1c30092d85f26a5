package org.rtc4j.codec.vp8.internal;

/** A frame that cannot be decoded; the public decoder turns it into its checked exception. */
public final class Vp8Error extends Exception {

    private static final long serialVersionUID = 1L;

    public Vp8Error(String message) {
        super(message, null, false, false);
    }
}
