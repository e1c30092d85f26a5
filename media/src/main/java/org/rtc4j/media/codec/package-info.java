/**
 * Audio and video codecs behind tracks, pure Java: Opus ({@link org.rtc4j.media.codec.OpusEncoder},
 * {@link org.rtc4j.media.codec.OpusDecoder}, on codec-opus), G.711 ({@link org.rtc4j.media.codec.G711} and its
 * {@link org.rtc4j.media.codec.G711Encoder}/{@link org.rtc4j.media.codec.G711Decoder}), H.264
 * ({@link org.rtc4j.media.codec.H264Encoder}: constrained baseline with rate control;
 * {@link org.rtc4j.media.codec.H264Decoder}: baseline and main profile; on JCodec), VP8
 * ({@link org.rtc4j.media.codec.Vp8Encoder}, {@link org.rtc4j.media.codec.Vp8Decoder}: on rtc4j's own pure-Java
 * codec, module {@code org.rtc4j.codec.vp8}, a regular dependency), resampling and channel
 * mixing ({@link org.rtc4j.media.codec.AudioResampler}), the codec-neutral interfaces
 * ({@link org.rtc4j.media.codec.AudioEncoder}, {@link org.rtc4j.media.codec.AudioDecoder},
 * {@link org.rtc4j.media.codec.VideoEncoder}, {@link org.rtc4j.media.codec.VideoDecoder}) and
 * {@link org.rtc4j.media.codec.DecodingSink}, which hands a track's encoded frames to a sink as raw frames.
 *
 * <p>Dependencies: rtc4j's {@code rtc4j-codec-opus} (module {@code org.rtc4j.codec.opus}: Concentus, BSD, with
 * later libopus encoder improvements) and JCodec ({@code org.jcodec:jcodec}, BSD) are optional dependencies of
 * rtc4j-media, so that an application that only needs data channels does not carry them. To use the Opus classes,
 * put rtc4j-codec-opus on the class path; for the H.264 classes, JCodec. On the module path they are the modules
 * {@code org.rtc4j.codec.opus} and {@code jcodec} (automatic), which this module only {@code requires static}:
 * resolve them with {@code --add-modules org.rtc4j.codec.opus,jcodec} or a {@code requires} of your own. G.711,
 * VP8 and the resampler need neither. Without them, the classes that need them fail with
 * {@link NoClassDefFoundError}.
 *
 * <p>Threads: none. Every encoder and decoder is a plain object driven by its caller, one thread at a time;
 * times come from the frames' timestamps, never from a clock.
 *
 * <p>{@link org.rtc4j.media.codec.MediaCodecs} makes the encoder of a codec: what a peer connection's sender
 * uses for the codec the negotiation settled.
 */
package org.rtc4j.media.codec;
