package org.rtc4j.server.web;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.rtc4j.server.signaling.Client;
import org.rtc4j.server.signaling.Outbound;
import org.rtc4j.server.signaling.SignalingHub;

/** One client's WebSocket: hands what arrives to the hub and sends what the hub writes (public for Jetty). */
public final class SignalingEndpoint implements Session.Listener.AutoDemanding, Outbound {
    private final SignalingHub hub;
    private volatile Session session;
    private volatile Client client;

    SignalingEndpoint(SignalingHub hub) {
        this.hub = hub;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        client = hub.connect(this, System.nanoTime());
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
        hub.disconnect(client);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        hub.disconnect(client);
    }

    @Override
    public void send(String text) {
        Session s = session;
        // A client that does not read fills its bounded outgoing queue; the send then fails and we drop it.
        s.sendText(text, Callback.from(() -> { }, failure -> s.disconnect()));
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }
}
