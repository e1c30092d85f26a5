package org.rtc4j.media;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.rtc4j.media.internal.JavaSoundDevices;
import org.rtc4j.media.internal.ScreenCaptureDevice;
import org.rtc4j.media.internal.SettingsSelector;
import org.rtc4j.media.internal.SyntheticDevice;

/**
 * The entry point of Media Capture and Streams ({@code navigator.mediaDevices}): list devices, open the camera
 * and microphone ({@link #getUserMedia}) or the screen ({@link #getDisplayMedia}).
 *
 * <p>Devices: Java Sound microphones where a sound card exists, devices the application adds
 * ({@link #addDevice}), and the synthetic camera and microphone as {@link MediaSettings#syntheticDevices()}
 * says. Java has no camera API: without synthetic or added devices, asking for video is a NotFoundError.
 *
 * <p>Threads: none. The returned futures are complete when the methods return (opening a sound card takes the
 * caller's thread for a moment). {@code devicechange} fires on the thread that notices the change: an
 * {@code addDevice}/{@code removeDevice} call, or an {@code enumerateDevices}/{@code getUserMedia} that finds
 * Java Sound's devices changed since the last look.
 */
public final class MediaDevices {

    private final MediaSettings settings;
    private final List<CaptureDevice> added = new CopyOnWriteArrayList<>();
    private final SyntheticDevice syntheticCamera;
    private final SyntheticDevice syntheticMicrophone;
    private volatile Runnable onDeviceChange;
    private List<MediaDeviceInfo> lastSeen;

    public MediaDevices() {
        this(MediaSettings.defaults());
    }

    public MediaDevices(MediaSettings settings) {
        this.settings = settings;
        syntheticCamera = SyntheticDevice.camera(settings);
        syntheticMicrophone = SyntheticDevice.microphone(settings);
    }

    public MediaSettings settings() {
        return settings;
    }

    /** Which constraints rtc4j understands (echoCancellation: no). */
    public MediaTrackSupportedConstraints getSupportedConstraints() {
        return MediaTrackSupportedConstraints.RTC4J;
    }

    /** Every input and output device, inputs in the order getUserMedia prefers them. */
    public CompletableFuture<List<MediaDeviceInfo>> enumerateDevices() {
        List<MediaDeviceInfo> l = new ArrayList<>();
        for (CaptureDevice d : inputs()) {
            l.add(d.info());
        }
        if (settings.javaSound() && settings.syntheticDevices() != SyntheticDevices.ONLY) {
            l.addAll(JavaSoundDevices.speakers());
        }
        noticeChanges(l);
        return CompletableFuture.completedFuture(List.copyOf(l));
    }

    /** Fires {@code devicechange} when the list differs from the one seen last. */
    private void noticeChanges(List<MediaDeviceInfo> now) {
        boolean changed;
        synchronized (this) {
            changed = lastSeen != null && !lastSeen.equals(now);
            lastSeen = List.copyOf(now);
        }
        if (changed) {
            fireDeviceChange();
        }
    }

    private void fireDeviceChange() {
        Runnable h = onDeviceChange;
        if (h != null) {
            h.run();
        }
    }

    public void onDeviceChange(Runnable handler) {
        onDeviceChange = handler;
        if (handler != null) {
            enumerateDevices();   // the reference list later calls compare against
        }
    }

    /** Adds an input device (non-standard); fires {@code devicechange}. Added devices come before Java Sound's. */
    public void addDevice(CaptureDevice device) {
        added.add(java.util.Objects.requireNonNull(device));
        enumerateDevices();
    }

    /** Removes an added device; open tracks on it go on until stopped. Fires {@code devicechange}. */
    public void removeDevice(String deviceId) {
        added.removeIf(d -> d.info().deviceId().equals(deviceId));
        enumerateDevices();
    }

    private List<CaptureDevice> inputs() {
        List<CaptureDevice> real = new ArrayList<>(added);
        if (settings.javaSound() && settings.syntheticDevices() != SyntheticDevices.ONLY) {
            real.addAll(JavaSoundDevices.microphones());
        }
        List<CaptureDevice> l = new ArrayList<>(real);
        for (MediaKind k : MediaKind.values()) {
            boolean none = real.stream().noneMatch(d -> d.info().kind() == MediaDeviceKind.input(k));
            if (settings.syntheticDevices() == SyntheticDevices.ONLY
                    || settings.syntheticDevices() == SyntheticDevices.WHEN_NO_REAL_DEVICE && none) {
                l.add(k == MediaKind.AUDIO ? syntheticMicrophone : syntheticCamera);
            }
        }
        return l;
    }

    /**
     * Opens the devices that best meet the constraints (Media Capture and Streams, getUserMedia): the future
     * fails with {@link TypeError} when neither audio nor video is asked for, {@link NotFoundError} when no device
     * of an asked kind exists, {@link OverconstrainedError} naming a constraint no device meets, and
     * {@link NotReadableError} when the chosen device cannot be opened.
     */
    public CompletableFuture<MediaStream> getUserMedia(MediaStreamConstraints constraints) {
        try {
            return CompletableFuture.completedFuture(open(constraints));
        } catch (MediaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private MediaStream open(MediaStreamConstraints c) {
        if (c == null || c.audio() == null && c.video() == null) {
            throw new TypeError("getUserMedia needs audio or video constraints");
        }
        List<CaptureDevice> devices = inputs();
        noticeChanges(devicesInfo(devices));
        record Pick(CaptureDevice device, MediaTrackSettings settings, MediaTrackConstraints constraints) {
        }
        List<Pick> picks = new ArrayList<>();
        for (MediaKind kind : MediaKind.values()) {
            MediaTrackConstraints tc = c.forKind(kind);
            if (tc == null) {
                continue;
            }
            List<CaptureDevice> ofKind = devices.stream()
                    .filter(d -> d.info().kind() == MediaDeviceKind.input(kind)).toList();
            if (ofKind.isEmpty()) {
                throw new NotFoundError("no " + kind + " input device");
            }
            CaptureDevice best = null;
            SettingsSelector.Choice bestChoice = null;
            List<MediaTrackSettings> all = new ArrayList<>();
            for (CaptureDevice d : ofKind) {
                List<MediaTrackSettings> cands = SettingsSelector.candidates(d.capabilities(), d.defaultSettings(),
                        d.modes(), tc);
                all.addAll(cands);
                SettingsSelector.Choice ch = SettingsSelector.select(cands, tc);
                if (ch != null && (bestChoice == null || ch.distance() < bestChoice.distance())) {
                    best = d;
                    bestChoice = ch;
                }
            }
            if (best == null) {
                String failed = SettingsSelector.failedConstraint(all, tc.basic());
                throw new OverconstrainedError(failed, "no " + kind + " device meets the constraint"
                        + (failed.isEmpty() ? "s" : " " + failed));
            }
            picks.add(new Pick(best, bestChoice.settings(), tc));
        }
        List<MediaStreamTrack> tracks = new ArrayList<>();
        try {
            for (Pick p : picks) {
                MediaSource s = p.device().open(p.settings());
                tracks.add(s.attach(new MediaStreamTrack(s, p.constraints(), true)));
            }
        } catch (RuntimeException e) {
            tracks.forEach(MediaStreamTrack::stop);
            throw e instanceof MediaException m ? m
                    : new NotReadableError("could not open the device: " + e.getMessage(), e);
        }
        return new MediaStream(tracks);
    }

    private static List<MediaDeviceInfo> devicesInfo(List<CaptureDevice> devices) {
        List<MediaDeviceInfo> l = new ArrayList<>();
        devices.forEach(d -> l.add(d.info()));
        return l;
    }

    /**
     * Captures the screen (Screen Capture, getDisplayMedia) through {@code java.awt.Robot} where a display exists,
     * else the synthetic camera if synthetic devices are on. Fails with {@link TypeError} for
     * {@code video: false} or for {@code advanced}, {@code min} or {@code exact} constraints (the spec allows
     * only {@code ideal} and {@code max}), {@link NotFoundError} when there is nothing to capture, and
     * {@link OverconstrainedError} when a {@code max} cannot be met.
     */
    public CompletableFuture<MediaStream> getDisplayMedia(DisplayMediaStreamOptions options) {
        try {
            return CompletableFuture.completedFuture(openDisplay(options));
        } catch (MediaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private MediaStream openDisplay(DisplayMediaStreamOptions o) {
        if (o == null || o.video() == null) {
            throw new TypeError("getDisplayMedia needs video");
        }
        MediaTrackConstraints c = o.video();
        if (!c.advanced().isEmpty()) {
            throw new TypeError("getDisplayMedia does not take advanced constraints");
        }
        for (ConstrainDouble d : new ConstrainDouble[] {c.basic().width(), c.basic().height(),
                c.basic().aspectRatio(), c.basic().frameRate()}) {
            if (d != null && (d.min() != null || d.exact() != null)) {
                throw new TypeError("getDisplayMedia takes no min or exact constraints");
            }
        }
        CaptureDevice screen = settings.screenCapture() && settings.syntheticDevices() != SyntheticDevices.ONLY
                ? ScreenCaptureDevice.find() : null;
        if (screen == null && settings.syntheticDevices() != SyntheticDevices.NEVER) {
            screen = syntheticCamera;
        }
        if (screen == null) {
            throw new NotFoundError("no display to capture");
        }
        // Display surfaces are chosen by the user, not by constraints: they only shape the capture.
        List<MediaTrackSettings> cands = SettingsSelector.candidates(screen.capabilities(), screen.defaultSettings(),
                screen.modes(), c);
        SettingsSelector.Choice ch = SettingsSelector.select(cands, c);
        if (ch == null) {
            String failed = SettingsSelector.failedConstraint(cands, c.basic());
            throw new OverconstrainedError(failed, "the display cannot meet the constraint " + failed);
        }
        MediaSource s;
        try {
            s = screen.open(ch.settings());
        } catch (MediaException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new NotReadableError("could not capture the display: " + e.getMessage(), e);
        }
        return new MediaStream(List.of(s.attach(new MediaStreamTrack(s, c, true))));
    }
}
