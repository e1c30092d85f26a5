package org.rtc4j.server.web;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.rtc4j.server.signaling.Client;
import org.rtc4j.server.signaling.Outbound;
import org.rtc4j.server.signaling.SignalingHub;

/** One client's WebSocket: hands what arrives to the hub and sends what the hub writes (public for Jetty). */
public final class SignalingEndpoint implements Session.Listener.AutoDemanding, Outbound {
    /** WebSocket close code 1008, policy violation (RFC 6455 7.4.1). */
    private static final int CLOSE_POLICY = 1008;

    /** WebSocket close code 1001, going away: the server stops (RFC 6455 7.4.1). */
    private static final int CLOSE_GOING_AWAY = 1001;

    private final SignalingHub hub;
    /** The server's open endpoints: this one is in it while its WebSocket is open. */
    private final Set<SignalingEndpoint> open;
    /** What was handed to Jetty and not yet written to the socket: bounded, so a client that never reads
     * costs the server at most the queue limits, not every message relayed to it. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicBoolean dropped = new AtomicBoolean();
    /**
     * True while this thread is in {@link #send}, where the hub may hold a room's lock. The hub takes its own lock
     * before a room's, so a disconnect that a send sets off (Jetty closes inline when a frame fails; a client over
     * its queue is cut) runs on another thread: inline it would take the locks in the other order and deadlock
     * with a thread that disconnects someone else (seen with WebServer.close and a relay at once).
     */
    private static final ThreadLocal<Boolean> SENDING = ThreadLocal.withInitial(() -> false);
    private volatile Session session;
    private volatile Client client;

    SignalingEndpoint(SignalingHub hub, Set<SignalingEndpoint> open) {
        this.hub = hub;
        this.open = open;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        open.add(this);
        client = hub.connect(this, remoteAddress(s), System.nanoTime());
    }

    /** The server stops: closes with 1001 and runs {@code sent} once the close frame is out (or cannot be). */
    void goAway(Runnable sent) {
        session.close(CLOSE_GOING_AWAY, "server shutting down", Callback.from(sent, failure -> sent.run()));
    }

    /** The peer's IP address as text, or null when the transport has none (never for TCP). */
    static String remoteAddress(Session s) {
        return s.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : null;
    }

    @Override
    public void onWebSocketText(String text) {
        hub.receive(client, text, System.nanoTime());
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        hub.receiveBinary(client, System.nanoTime());
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
        open.remove(this);
        leave(() -> hub.disconnect(client));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        open.remove(this);
        leave(() -> hub.disconnect(client));
    }

    /** Runs a disconnect now, or on a virtual thread when this thread is in {@link #send} (see SENDING). */
    private static void leave(Runnable disconnect) {
        if (SENDING.get()) {
            Thread.startVirtualThread(disconnect);
        } else {
            disconnect.run();
        }
    }

    @Override
    public void send(String text) {
        boolean outer = SENDING.get();
        SENDING.set(true);
        try {
            sendQueued(text);
        } finally {
            SENDING.set(outer);
        }
    }

    private void sendQueued(String text) {
        Session s = session;
        if (dropped.get()) {
            return;
        }
        long bytes = text.length(); // chars: the UTF-8 size of the hub's (mostly ASCII) JSON, near enough
        long q = queuedBytes.addAndGet(bytes);
        int m = queuedMessages.incrementAndGet();
        if (q > hub.settings().maxQueuedBytes() || m > hub.settings().maxQueuedMessages()) {
            queuedBytes.addAndGet(-bytes);
            queuedMessages.decrementAndGet();
            if (dropped.compareAndSet(false, true)) {
                leave(() -> hub.notReading(client));
                // Its queue is full, so a close frame would wait behind it: say why, then cut the connection.
                s.close(CLOSE_POLICY, "not reading: outgoing queue over its limit", Callback.NOOP);
                s.disconnect();
            }
            return;
        }
        s.sendText(text, Callback.from(() -> {
            queuedBytes.addAndGet(-bytes);
            queuedMessages.decrementAndGet();
        }, failure -> s.disconnect()));
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }
}
