package org.rtc4j.media;

import java.util.List;

/**
 * An input device {@code getUserMedia} can choose and open: rtc4j's synthetic devices and Java Sound
 * microphones, or one the application registers with {@link MediaDevices#addDevice} (a file played as a camera,
 * a network feed). Non-standard: the spec's devices belong to the browser.
 */
public interface CaptureDevice {

    /** Identity, kind (audioinput or videoinput) and label. */
    MediaDeviceInfo info();

    /** The ranges the device can run in. */
    MediaTrackCapabilities capabilities();

    /** What it runs at when nothing is asked; its deviceId and groupId are {@link #info()}'s. */
    MediaTrackSettings defaultSettings();

    /** The only settings the device can run at, or empty when any within {@link #capabilities()} will do. */
    default List<MediaTrackSettings> modes() {
        return List.of();
    }

    /**
     * Opens a source at {@code settings}, one of the device's possible settings. It starts with its first track.
     *
     * @throws NotReadableError when the device exists but cannot be opened
     */
    MediaSource open(MediaTrackSettings settings);
}
