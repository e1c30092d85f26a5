package org.rtc4j.media;

/**
 * When {@link MediaDevices} offers rtc4j's synthetic camera and microphone (a test pattern and a beeping tone,
 * like browsers' fake devices), per kind.
 */
public enum SyntheticDevices {
    /** Never: without a real device, getUserMedia fails with NotFoundError. The default. */
    NEVER,
    /** Only for a kind that has no real device (headless servers, CI). */
    WHEN_NO_REAL_DEVICE,
    /**
     * Always, and no hardware: Java Sound devices and the screen are not offered (reproducible tests on any
     * machine); devices the application adds still are.
     */
    ONLY
}
