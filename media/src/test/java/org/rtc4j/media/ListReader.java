package org.rtc4j.media;

import java.util.List;

/** A {@link FrameReader} over a list, for tests; counts rewinds. */
final class ListReader implements FrameReader {
    private final MediaKind kind;
    private final List<? extends MediaFrame> frames;
    private int next;
    int rewinds;
    boolean closed;

    ListReader(MediaKind kind, List<? extends MediaFrame> frames) {
        this.kind = kind;
        this.frames = frames;
    }

    @Override
    public MediaKind kind() {
        return kind;
    }

    @Override
    public MediaFrame read() {
        return next < frames.size() ? frames.get(next++) : null;
    }

    @Override
    public void rewind() {
        rewinds++;
        next = 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
