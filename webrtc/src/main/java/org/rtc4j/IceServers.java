package org.rtc4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import org.rtc4j.ice.IceServer;
import org.rtc4j.ice.IceServerResolver;
import org.rtc4j.internal.IoLoop;

/**
 * A connection's ICE servers, their host names resolved before the ICE agent is made: on virtual threads (a
 * DNS look-up blocks), never on the loop. Until that is done, the connection's promise tasks wait here in call
 * order (with IP literals only it is done at once). A name that does not resolve in time stays a name, and
 * gathering reports it as the W3C icecandidateerror (code 701) instead of stalling.
 */
final class IceServers {

    /** Shared by every connection; a look-up still unanswered after the timeout is given up. */
    private static final IceServerResolver DNS = new IceServerResolver(Executors.newVirtualThreadPerTaskExecutor(),
            Duration.ofSeconds(5));

    private final IoLoop loop;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    /** Null while resolving; guarded by {@code waiting}. */
    private List<IceServer> resolved;
    private int generation;

    IceServers(IoLoop loop) {
        this.loop = loop;
    }

    /**
     * The ICE layer's server for a W3C one.
     *
     * @throws SyntaxError for a URL that does not parse
     */
    /** Checks every server's URLs and credentials now (SyntaxError, InvalidAccessError), not at gathering. */
    static void check(java.util.List<RTCIceServer> servers) {
        for (RTCIceServer s : servers) {
            of(s);
        }
    }

    static IceServer of(RTCIceServer s) {
        try {
            return s.username() == null ? IceServer.stun(s.urls().toArray(String[]::new))
                    : IceServer.of(s.username(), s.credential(), s.urls().toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new SyntaxError("bad ICE server " + s.urls() + ": " + e.getMessage(), e);
        }
    }

    /** Starts resolving (again, for a new configuration: the newest wins). */
    void resolve(List<RTCIceServer> servers) {
        List<IceServer> raw = servers.stream().map(IceServers::of).toList();
        int mine;
        synchronized (waiting) {
            mine = ++generation;
            resolved = null;
        }
        DNS.resolve(raw).thenAccept(done -> {
            synchronized (waiting) {
                if (mine != generation) {
                    return;
                }
                resolved = done;
                for (Runnable task; (task = waiting.poll()) != null; ) {
                    loop.execute(task);
                }
            }
        });
    }

    /** Runs {@code task} on the loop once the names are resolved, after the tasks given before it. */
    void afterResolution(Runnable task) {
        synchronized (waiting) {
            if (resolved == null) {
                waiting.add(task);
                return;
            }
        }
        loop.execute(task);
    }

    /** The servers, resolved (on the loop, from a task run by {@link #afterResolution}). */
    List<IceServer> resolved() {
        synchronized (waiting) {
            return resolved;
        }
    }
}
