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
 *
 * <p>{@link org.rtc4j.codec.vp8.Vp8Encoder} compresses I420 frames in real time, holding a target
 * bit rate that may change at any time, with key frames on request, temporal layers and an
 * error-resilient mode; its frames decode in libvpx and in our decoder to its own reconstruction:
 *
 * <pre>{@code
 * Vp8Encoder encoder = new Vp8Encoder(640, 480, 1_000_000, 30, 2, true); // 2 layers, error resilient
 * Vp8EncodedFrame out = encoder.encode(picture, pliReceived);
 * encoder.setTargetBitrate(estimate); // from the congestion controller
 * }</pre>
 */
package org.rtc4j.codec.vp8;
