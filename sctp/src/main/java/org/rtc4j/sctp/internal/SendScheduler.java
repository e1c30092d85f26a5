package org.rtc4j.sctp.internal;

import java.util.ArrayDeque;

/**
 * Chooses which stream's data goes next: round robin between streams with queued messages, switching at
 * message boundaries with DATA (a message's fragments must have consecutive TSNs, RFC 9260 6.9) and after
 * every fragment with I-DATA (RFC 8260), so one large message never holds the other channels back.
 */
public final class SendScheduler {

    private OutStream[] streams = new OutStream[16];
    private final ArrayDeque<OutStream> active = new ArrayDeque<>();
    /** The stream in the middle of a message (DATA only). */
    private OutStream current;
    private boolean interleave;

    public void interleave(boolean on) {
        interleave = on;
    }

    public OutStream stream(int id) {
        if (id >= streams.length) {
            int n = streams.length;
            while (n <= id) {
                n *= 2;
            }
            streams = java.util.Arrays.copyOf(streams, Math.min(n, 65536));
        }
        OutStream s = streams[id];
        if (s == null) {
            s = new OutStream(id);
            streams[id] = s;
        }
        return s;
    }

    /** The stream if it exists, without creating it. */
    public OutStream existing(int id) {
        return id < streams.length ? streams[id] : null;
    }

    public void enqueue(OutMessage m) {
        OutStream s = stream(m.stream);
        s.queue.add(m);
        s.buffered += m.length;
        if (!s.scheduled && s != current) {
            s.scheduled = true;
            active.add(s);
        }
    }

    public boolean hasData() {
        return current != null || !active.isEmpty();
    }

    /** The message whose next fragment goes out now, or null. Expired unstarted messages are skipped. */
    public OutMessage peek() {
        if (current != null) {
            OutMessage m = current.queue.peek();
            if (m != null) {
                return m;
            }
            current = null;
        }
        while (!active.isEmpty()) {
            OutStream s = active.peek();
            OutMessage m = s.queue.peek();
            if (m != null) {
                return m;
            }
            active.poll();
            s.scheduled = false;
        }
        return null;
    }

    /** Called after a fragment of {@code m} (the last peeked message) went out. */
    public void advanced(OutMessage m) {
        OutStream s = stream(m.stream);
        boolean done = m.fullyChunked();
        if (done) {
            s.queue.poll();
        }
        if (current == s) {
            if (done) {
                current = null;
                if (!s.queue.isEmpty()) {
                    s.scheduled = true;
                    active.add(s);
                }
            }
            return;
        }
        // s is the head of active
        active.poll();
        s.scheduled = false;
        if (!interleave && !done) {
            current = s;
        } else if (!s.queue.isEmpty()) {
            s.scheduled = true;
            active.add(s);
        }
    }

    /** Drops a message that has not started (expired before its first transmission). */
    public void dropHead(OutMessage m) {
        OutStream s = stream(m.stream);
        if (s.queue.peek() == m) {
            s.queue.poll();
            s.buffered -= m.length - m.sent;
        }
        if (current == s && s.queue.isEmpty()) {
            current = null;
        }
    }

    /** Removes an abandoned, partly sent message from its queue (RFC 3758: the rest is never sent). */
    public void abandon(OutMessage m) {
        OutStream s = stream(m.stream);
        if (s.queue.remove(m)) {
            s.buffered -= m.length - m.sent;
            if (current == s) {
                current = null;
                if (!s.queue.isEmpty() && !s.scheduled) {
                    s.scheduled = true;
                    active.add(s);
                }
            }
        }
    }

    /** Forgets everything queued (restart, abort). */
    public void clear() {
        for (OutStream s : streams) {
            if (s != null) {
                s.queue.clear();
                s.buffered = 0;
                s.scheduled = false;
                s.nextOrdered = 0;
                s.nextUnordered = 0;
                s.resetPending = false;
            }
        }
        active.clear();
        current = null;
    }

    public OutStream[] all() {
        return streams;
    }
}
