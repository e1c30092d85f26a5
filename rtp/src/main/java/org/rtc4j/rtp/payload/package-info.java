/**
 * RTP payload formats: {@link org.rtc4j.rtp.payload.PayloadFormats} gives a {@link org.rtc4j.rtp.payload.Packetizer}
 * per outgoing stream and a {@link org.rtc4j.rtp.payload.Depacketizer} per incoming stream for Opus (RFC 7587),
 * G.711 and G.722 (RFC 3551), telephone-event (RFC 4733, {@link org.rtc4j.rtp.payload.TelephoneEvent}), VP8
 * (RFC 7741), VP9 (RFC 9628), H.264 (RFC 6184), H.265 (RFC 7798) and AV1 (AOM RTP payload format);
 * {@link org.rtc4j.rtp.payload.RtxPayload} wraps and unwraps retransmissions (RFC 4588).
 *
 * <p>Frames are {@link org.rtc4j.rtp.EncodedFrame}s: H.264/H.265 access units in Annex B form, AV1 temporal units
 * in the low-overhead OBU format, VP8/VP9 frames and audio packets as their encoders make them. Payloads from the
 * network that break their format are a {@link org.rtc4j.core.ParseException}, never another exception.
 */
package org.rtc4j.rtp.payload;
