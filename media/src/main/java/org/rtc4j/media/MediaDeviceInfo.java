package org.rtc4j.media;

import java.util.Objects;

/** One device as {@code enumerateDevices} lists it (the spec's {@code MediaDeviceInfo}). */
public record MediaDeviceInfo(String deviceId, MediaDeviceKind kind, String label, String groupId) {

    public MediaDeviceInfo {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(groupId, "groupId");
    }
}
