/**
 * VP8 (RFC 6386) in pure Java.
 *
 * <p>{@link org.rtc4j.codec.vp8.Vp8Decoder} turns each compressed frame (as carried in an IVF file
 * or reassembled from RTP) into an I420 {@link org.rtc4j.codec.vp8.Vp8Frame}, bit-exact with
 * libvpx:
 *
 * <pre>{@code
 * Vp8Decoder decoder = new Vp8Decoder(1280, 720); // the largest frame accepted
 * try {
 *     decoder.decode(frame).ifPresent(picture -> show(picture)); // empty for a hidden frame
 * } catch (Vp8DecodeException e) {
 *     // corrupt or truncated: ask for a key frame (PLI); inter frames are refused until one comes
 * }
 * }</pre>
 */
package org.rtc4j.codec.vp8;
