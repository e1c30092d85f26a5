package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.server.signaling.SignalingHub;
import org.rtc4j.server.signaling.SignalingSettings;

/**
 * Jetty closes a session inline when one of its frames cannot be sent, so a client's close can arrive inside a
 * relay that holds its room's lock. At that moment another thread disconnects someone else (it holds the hub's
 * lock and waits for the room's): the close from inside the send must not wait for the hub's lock (it deadlocked
 * so in CI, WebServer.close against a relay).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InlineCloseTest {
    private static final AtomicInteger PORTS = new AtomicInteger(40_000);

    /** A session whose sendText runs {@code onSend}; every other method does nothing. */
    private static Session session(Runnable onSend) {
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", PORTS.incrementAndGet());
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteSocketAddress" -> remote;
                    case "sendText" -> {
                        onSend.run();
                        yield null;
                    }
                    case "isOpen" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "session " + remote;
                    default -> method.getReturnType() == boolean.class ? false : null;
                });
    }

    @Test
    void aCloseSetOffInsideASendDoesNotDeadlockWithAnotherDisconnect() throws Exception {
        SignalingHub hub = new SignalingHub(SignalingSettings.defaults());
        Set<SignalingEndpoint> open = ConcurrentHashMap.newKeySet();
        SignalingEndpoint a = new SignalingEndpoint(hub, open);
        SignalingEndpoint b = new SignalingEndpoint(hub, open);
        AtomicBoolean failing = new AtomicBoolean();
        AtomicReference<Thread> other = new AtomicReference<>();
        a.onWebSocketOpen(session(() -> { }));
        b.onWebSocketOpen(session(() -> {
            if (failing.compareAndSet(true, false)) {
                // Another thread disconnects a: it takes the hub's lock, then waits for the room's, held here.
                Thread t = new Thread(() -> a.onWebSocketClose(1000, "bye"));
                t.setDaemon(true);
                other.set(t);
                t.start();
                while (t.isAlive() && t.getState() != Thread.State.BLOCKED) {
                    Thread.onSpinWait();
                }
                b.onWebSocketClose(1006, "a frame could not be sent"); // as Jetty does, inline
            }
        }));
        a.onWebSocketText("{\"type\":\"join\",\"room\":\"r\"}");
        b.onWebSocketText("{\"type\":\"join\",\"room\":\"r\"}");
        failing.set(true);
        Thread relay = new Thread(() -> a.onWebSocketText("{\"type\":\"message\",\"data\":\"hi\"}"));
        relay.setDaemon(true);
        relay.start();
        relay.join(20_000);
        assertThat(relay.isAlive()).as("the relay is stuck (deadlock)").isFalse();
        assertThat(other.get()).as("the message reached b").isNotNull();
        other.get().join(20_000);
        assertThat(other.get().isAlive()).as("the other disconnect is stuck (deadlock)").isFalse();
        for (int i = 0; i < 200 && hub.clientCount() > 0; i++) {
            Thread.sleep(50); // b's disconnect runs on its own thread
        }
        assertThat(hub.clientCount()).isZero();
    }
}
