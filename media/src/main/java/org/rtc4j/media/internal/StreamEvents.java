package org.rtc4j.media.internal;

import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamTrack;

/**
 * How rtc4j (the peer connection, when a remote peer adds or removes a track) changes a {@link MediaStream} so
 * that it fires {@code addtrack} and {@code removetrack}, which the application's own calls never fire. Not
 * API: the module exports this package only to rtc4j's own modules.
 */
public abstract class StreamEvents {

    private static volatile StreamEvents impl;

    /** Called once by MediaStream's static initializer. */
    public static void install(StreamEvents e) {
        if (impl != null) {
            throw new IllegalStateException("installed");
        }
        impl = e;
    }

    /** Adds {@code t} to {@code s} and fires {@code addtrack} if it was not there. */
    public static void addTrack(MediaStream s, MediaStreamTrack t) {
        get().add(s, t);
    }

    /** Removes {@code t} from {@code s} and fires {@code removetrack} if it was there. */
    public static void removeTrack(MediaStream s, MediaStreamTrack t) {
        get().remove(s, t);
    }

    private static StreamEvents get() {
        if (impl == null) {
            new MediaStream();   // runs MediaStream's static initializer, which installs the implementation
        }
        return impl;
    }

    protected abstract void add(MediaStream s, MediaStreamTrack t);

    protected abstract void remove(MediaStream s, MediaStreamTrack t);
}
