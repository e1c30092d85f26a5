package org.rtc4j.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Resolves the host names of STUN and TURN servers before gathering, on an executor of the caller's choice
 * (never the thread that drives an {@link IceAgent}: a DNS look-up blocks), each within a timeout.
 *
 * <p>The result never fails: a name that does not resolve in time stays unresolved, and the agent reports it
 * as the W3C {@code icecandidateerror} (code 701) when it gathers. IP literals are left as they are.
 *
 * <pre>{@code
 * IceServerResolver dns = new IceServerResolver(executor, Duration.ofSeconds(5));
 * dns.resolve(config).thenAccept(resolved -> ioThread.execute(() -> start(new IceAgent(resolved))));
 * }</pre>
 */
public final class IceServerResolver {

    /** Looks up one host name; it may block, as it runs on the resolver's executor. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress lookup(String host) throws IOException;
    }

    private final Executor executor;
    private final Duration timeout;
    private final Lookup lookup;

    /** Resolves with the system resolver ({@link InetAddress#getByName}). */
    public IceServerResolver(Executor executor, Duration timeout) {
        this(executor, timeout, InetAddress::getByName);
    }

    public IceServerResolver(Executor executor, Duration timeout, Lookup lookup) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The config with its servers resolved ({@link #resolve(List)}). */
    public CompletableFuture<IceConfig> resolve(IceConfig config) {
        return resolve(config.servers()).thenApply(config::withServers);
    }

    /**
     * The servers with every URL whose host is a name carrying the address it resolved to; each distinct name
     * is looked up once, all at the same time. Completes normally, at the latest after the timeout.
     */
    public CompletableFuture<List<IceServer>> resolve(List<IceServer> servers) {
        Map<String, CompletableFuture<InetAddress>> lookups = new HashMap<>();
        for (IceServer server : servers) {
            for (IceServerUrl url : server.urls()) {
                if (url.needsResolution()) {
                    lookups.computeIfAbsent(key(url.host()), this::lookUp);
                }
            }
        }
        return CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<IceServer> out = new ArrayList<>(servers.size());
            for (IceServer server : servers) {
                List<IceServerUrl> urls = new ArrayList<>(server.urls().size());
                for (IceServerUrl url : server.urls()) {
                    CompletableFuture<InetAddress> found = url.needsResolution() ? lookups.get(key(url.host())) : null;
                    InetAddress ip = found == null ? null : found.join();
                    urls.add(ip == null ? url : url.resolvedTo(ip));
                }
                out.add(new IceServer(urls, server.username(), server.credential()));
            }
            return List.copyOf(out);
        });
    }

    private CompletableFuture<InetAddress> lookUp(String host) {
        CompletableFuture<InetAddress> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(lookup.lookup(host));
                } catch (IOException | RuntimeException e) {
                    result.complete(null); // unknown host: reported by the agent as error 701
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(null);
        }
        // The look-up itself cannot be interrupted; past the timeout its answer is just not waited for.
        return result.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
