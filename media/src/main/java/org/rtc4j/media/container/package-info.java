/**
 * Media files: readers and recorders of the containers WebRTC media travels in.
 *
 * <p>Encoded: {@link org.rtc4j.media.container.IvfReader IVF} (VP8, VP9, AV1),
 * {@link org.rtc4j.media.container.AnnexBReader H.264 Annex B}, {@link org.rtc4j.media.container.OggOpusReader Ogg
 * Opus} and {@link org.rtc4j.media.container.MatroskaReader WebM and Matroska} yield
 * {@link org.rtc4j.rtp.EncodedFrame}s with their track ({@link org.rtc4j.media.container.ContainerFiles#open} picks
 * the reader by signature, {@link org.rtc4j.media.container.ContainerFrameReader} times one track for a file
 * source); {@link org.rtc4j.media.container.IvfWriter}, {@link org.rtc4j.media.container.OggOpusWriter} and
 * {@link org.rtc4j.media.container.MatroskaWriter} record them, live: a recording whose process dies keeps every
 * frame, block or page written before. Raw: {@link org.rtc4j.media.container.Y4mReader Y4M} and
 * {@link org.rtc4j.media.container.WavReader WAV} read and write {@link org.rtc4j.media.VideoFrame} and
 * {@link org.rtc4j.media.AudioFrame}.
 *
 * <p>Readers take any file: a malformed or hostile one gives a {@link
 * org.rtc4j.media.container.ContainerFormatException} saying what and where, and no length in a file makes them
 * allocate more than the bytes that are really there (or a fixed cap).
 */
package org.rtc4j.media.container;
