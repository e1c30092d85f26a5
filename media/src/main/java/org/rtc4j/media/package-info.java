/**
 * Media Capture and Streams with the W3C names: {@code MediaDevices}, {@code MediaStream},
 * {@code MediaStreamTrack}, constraints; the sources and sinks behind tracks.
 */
package org.rtc4j.media;
