package org.rtc4j.media;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.rtc4j.media.internal.StreamEvents;

/**
 * A set of tracks (Media Capture and Streams, {@code MediaStream}). As the spec says, {@link #addTrack} and
 * {@link #removeTrack} by the application fire no event; {@code addtrack} and {@code removetrack} fire when rtc4j
 * itself changes the stream (a remote peer adds or removes a track), on the thread making the change.
 */
public final class MediaStream {

    static {
        StreamEvents.install(new StreamEvents() {
            @Override
            protected void add(MediaStream s, MediaStreamTrack t) {
                if (s.tracks.add(t)) {
                    fire(s.onAddTrack, t);
                }
            }

            @Override
            protected void remove(MediaStream s, MediaStreamTrack t) {
                if (s.tracks.remove(t)) {
                    fire(s.onRemoveTrack, t);
                }
            }
        });
    }

    private final String id;
    private final Set<MediaStreamTrack> tracks = new CopyOnWriteArraySet<>();
    private volatile Consumer<MediaStreamTrack> onAddTrack;
    private volatile Consumer<MediaStreamTrack> onRemoveTrack;

    /** An empty stream with a new id. */
    public MediaStream() {
        this(List.of());
    }

    /** A stream of these tracks, with a new id. */
    public MediaStream(Collection<MediaStreamTrack> tracks) {
        this(UUID.randomUUID().toString(), tracks);
    }

    /** A stream with a given id (a remote stream's id from SDP {@code a=msid}). */
    public MediaStream(String id, Collection<MediaStreamTrack> tracks) {
        this.id = java.util.Objects.requireNonNull(id, "id");
        this.tracks.addAll(tracks);
    }

    public String id() {
        return id;
    }

    /** Every track, in the order added. */
    public List<MediaStreamTrack> getTracks() {
        return List.copyOf(tracks);
    }

    public List<MediaStreamTrack> getAudioTracks() {
        return byKind(MediaKind.AUDIO);
    }

    public List<MediaStreamTrack> getVideoTracks() {
        return byKind(MediaKind.VIDEO);
    }

    private List<MediaStreamTrack> byKind(MediaKind kind) {
        List<MediaStreamTrack> l = new ArrayList<>();
        for (MediaStreamTrack t : tracks) {
            if (t.kind() == kind) {
                l.add(t);
            }
        }
        return l;
    }

    /** The track of this id, or {@code null}. */
    public MediaStreamTrack getTrackById(String trackId) {
        for (MediaStreamTrack t : tracks) {
            if (t.id().equals(trackId)) {
                return t;
            }
        }
        return null;
    }

    /** Adds a track (nothing if already there); fires no event. */
    public void addTrack(MediaStreamTrack track) {
        tracks.add(java.util.Objects.requireNonNull(track));
    }

    /** Removes a track (nothing if absent); fires no event. */
    public void removeTrack(MediaStreamTrack track) {
        tracks.remove(track);
    }

    /** A new stream, with a new id, of clones of every track. */
    public MediaStream clone() {
        List<MediaStreamTrack> clones = new ArrayList<>();
        for (MediaStreamTrack t : tracks) {
            clones.add(t.clone());
        }
        return new MediaStream(clones);
    }

    /** True while any track is live. */
    public boolean active() {
        for (MediaStreamTrack t : tracks) {
            if (t.readyState() == MediaStreamTrackState.LIVE) {
                return true;
            }
        }
        return false;
    }

    public void onAddTrack(Consumer<MediaStreamTrack> handler) {
        onAddTrack = handler;
    }

    public void onRemoveTrack(Consumer<MediaStreamTrack> handler) {
        onRemoveTrack = handler;
    }

    private static void fire(Consumer<MediaStreamTrack> h, MediaStreamTrack t) {
        if (h != null) {
            h.accept(t);
        }
    }

    @Override
    public String toString() {
        return "MediaStream " + id + " " + tracks;
    }
}
