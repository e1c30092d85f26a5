/**
 * Media Capture and Streams with the W3C names: {@link org.rtc4j.media.MediaDevices} (getUserMedia,
 * getDisplayMedia, enumerateDevices, devicechange), {@link org.rtc4j.media.MediaStream},
 * {@link org.rtc4j.media.MediaStreamTrack}, constraints and the spec's errors; the sources and sinks behind tracks.
 *
 * <p>Frames: {@link org.rtc4j.media.VideoFrame} (I420) and {@link org.rtc4j.media.AudioFrame} (16-bit PCM) are
 * immutable values that own their arrays; encoded frames are {@link org.rtc4j.rtp.EncodedFrame}. Sources:
 * synthetic devices ({@link org.rtc4j.media.SyntheticVideo}, {@link org.rtc4j.media.SyntheticAudio}, chosen by
 * {@link org.rtc4j.media.MediaSettings#syntheticDevices()}), Java Sound microphones, the screen through
 * {@code java.awt.Robot}, {@link org.rtc4j.media.PushSource} for frames the application produces, and
 * {@link org.rtc4j.media.PacedSource} for any {@link org.rtc4j.media.FrameReader} (files) in real time. Sinks:
 * {@link org.rtc4j.media.MediaSink} callbacks, {@link org.rtc4j.media.PngSnapshot},
 * {@link org.rtc4j.media.SpeakerSink}.
 *
 * <p>Threads: the API has none of its own; futures are complete on return and events fire on the thread that
 * causes them. Only real-time sources own a thread, from their first track until they stop: the synthetic
 * camera and microphone, screen capture and {@code PacedSource} one scheduler thread each
 * ({@code rtc4j-synthetic-camera}, ...), a Java Sound microphone one reader thread (its reads block). Frames reach
 * sinks on that thread, or on the pushing thread for a {@code PushSource}.
 *
 * <p>Not standard, and so kept apart: {@link org.rtc4j.media.MediaSettings} (all options the spec lacks),
 * sinks, sources, {@link org.rtc4j.media.CaptureDevice} and {@link org.rtc4j.media.MediaDevices#addDevice}.
 */
package org.rtc4j.media;
