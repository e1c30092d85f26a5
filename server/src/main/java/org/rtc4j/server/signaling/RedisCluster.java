package org.rtc4j.server.signaling;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms shared by several signaling servers through Redis (redis://, rediss:// with TLS, a password in the
 * URL). Membership is a hash per room, changed only by Lua scripts, so admission against the capacity and
 * the room limits is one atomic step however many servers race. Each server listens on its own pub/sub
 * channel; what one server sends another goes over one connection, so it arrives in the order sent.
 *
 * <p>Every second each server renews its heartbeat (alive for {@link #HEARTBEAT_TTL_MS} more) and its rooms'
 * expiry, and learns which servers are alive: members of a server that stopped beating are removed and their
 * peers told they left, within about six seconds; keys of rooms nobody renews expire. While Redis is out of
 * reach joins are refused ({@code unavailable}) and relays stay local; when it returns every room is
 * rewritten from what this server knows and the other servers in it re-read it.
 *
 * <p>Each server counts its clients in Redis, in total and by address ({@code clients.lua}), so the client
 * limit and the per-address limits hold across servers, decided atomically as admission to a room is.
 */
public final class RedisCluster implements Cluster, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
    static final long HEARTBEAT_TTL_MS = 5_000;
    private static final long TICK_MS = 1_000;
    private static final String TURN_SECRET = "turn-secret";
    /** After Redis lost its data, joins wait this long for every server (beating each second) to rewrite. */
    private static final long RECOVERY_MS = 3_000;
    /** Rooms nobody renews disappear this long after the last renewal. */
    static final long ROOM_TTL_MS = 30_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Rooms renewed per script call: each call holds Redis for well under a millisecond. */
    private static final int TOUCH_BATCH = 256;
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:{}-]{0,64}");

    private static final String ADMIT = script("admit.lua");
    private static final String REMOVE = script("remove.lua");
    private static final String TOUCH = script("touch.lua");
    private static final String HEARTBEAT = script("heartbeat.lua");
    /** Run with EVAL, never EVALSHA: a NOSCRIPT answer resent later could land after a later change. */
    private static final String CLIENTS = script("clients.lua");
    private static final Map<String, String> SHAS = Map.of(ADMIT, sha1(ADMIT), REMOVE, sha1(REMOVE), TOUCH,
            sha1(TOUCH), HEARTBEAT, sha1(HEARTBEAT));

    private final String prefix;
    private final String serverId;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final ScheduledExecutorService timer;
    private volatile SignalingHub hub;
    /** A change of the client counts may have missed Redis: the next heartbeat rewrites them. */
    private volatile boolean countsStale;
    /**
     * Commands queued under the hub's or a room's lock (count changes, removals, messages to other servers),
     * sent by {@link #flush} in that order.
     */
    private final Queue<Runnable> outbox = new ConcurrentLinkedQueue<>();
    private final ReentrantLock flushing = new ReentrantLock();
    private volatile boolean reachable = true;
    /** Heartbeats failed in a row (timer thread); one slow heartbeat is not Redis out of reach. */
    private int failedBeats;
    /** Failed heartbeats in a row after which Redis counts as out of reach, with a connection still open. */
    private static final int UNREACHABLE_BEATS = 3;
    /** A message to another server was dropped: the rooms are rewritten and re-read at the next heartbeat. */
    private volatile boolean missed;
    /** Heartbeats failed and times every room was resynchronised, for tests. */
    private final AtomicInteger beatsFailed = new AtomicInteger();
    private final AtomicInteger resyncs = new AtomicInteger();
    private static final int MAX_RETRIES = 100_000;
    private final Queue<Runnable> retries = new ConcurrentLinkedQueue<>();
    /** The Redis epoch this server's rooms are written in; "" before the first heartbeat. */
    private String epoch = "";

    private RedisCluster(String uri, String prefix, Path trustedCa) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a Redis key prefix is up to 64 letters, digits and _.:{}-");
        }
        this.prefix = prefix;
        this.serverId = newServerId();
        this.client = RedisClient.create(RedisURI.create(uri));
        ClientOptions.Builder options = ClientOptions.builder();
        if (trustedCa != null) { // rediss:// to a Redis whose certificate a private CA signed
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(trustedCa.toFile()).build());
        }
        client.setOptions(options
                .autoReconnect(true)
                // Fail at once while disconnected: a join must be refused, not queued until Redis returns.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder().timeoutSource(new NoTimeoutForPublish()).build())
                .build());
        try {
            this.connection = client.connect();
            this.subscription = client.connectPubSub();
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalArgumentException("cannot reach Redis at " + RedisURI.create(uri).toString()
                    + ": " + e.getMessage(), e);
        }
        this.redis = connection.async();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtc4j-redis-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Commands time out after {@link #TIMEOUT}, except messages to other servers: a timed-out PUBLISH still
     * queued is dropped unsent while later ones go out, so a join or a relay would be lost out of order (seen
     * under load). They wait while the connection lives; a lost connection fails them.
     */
    private static final class NoTimeoutForPublish extends TimeoutOptions.TimeoutSource {
        @Override
        public long getTimeout(io.lettuce.core.protocol.RedisCommand<?, ?, ?> command) {
            return command.getType() == io.lettuce.core.protocol.CommandType.PUBLISH ? 0 : TIMEOUT.toMillis();
        }
    }

    /** Connects to Redis at {@code uri}; keys start with {@code prefix}. Call {@link #start} with the hub. */
    public static RedisCluster connect(String uri, String prefix) {
        return new RedisCluster(uri, prefix, null);
    }

    /**
     * As {@link #connect(String, String)}; with rediss://, the server's certificate must chain to a CA of the
     * PEM file {@code trustedCa} (null: the JVM's trusted CAs). The host name is verified either way.
     */
    public static RedisCluster connect(String uri, String prefix, Path trustedCa) {
        return new RedisCluster(uri, prefix, trustedCa);
    }

    /** Starts listening and beating for {@code hub}, which must have been made with this cluster. */
    void start(SignalingHub hub) {
        this.hub = hub;
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                hub.clusterRooms.receive(message);
            }
        });
        subscription.sync().subscribe(channel(serverId));
        tick();
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public CompletableFuture<String> addClient(String address, SignalingSettings limits) {
        return counts("add", address == null ? "" : address, Integer.toString(limits.maxClients()),
                Integer.toString(limits.maxClientsPerAddress()));
    }

    @Override
    public String refusal(CompletableFuture<String> added, SignalingSettings limits) {
        try {
            return switch (added.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                case "server-full" -> "the servers hold their limit of " + limits.maxClients()
                        + " clients; try again later";
                case "address-full" -> "your address holds its limit of " + limits.maxClientsPerAddress()
                        + " clients on these servers";
                default -> null;
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Out of reach: admitted on the local limits alone (no join succeeds meanwhile).
        }
        countsStale = true;
        return null;
    }

    @Override
    public void removeClient(String address) {
        counts("remove", address == null ? "" : address);
    }

    @Override
    public void rewriteClients(int total, Map<String, Integer> byAddress) {
        String[] args = new String[1 + 2 * byAddress.size()];
        args[0] = Integer.toString(total);
        int i = 1;
        for (Map.Entry<String, Integer> e : byAddress.entrySet()) {
            args[i++] = e.getKey();
            args[i++] = e.getValue().toString();
        }
        counts("sync", args);
    }

    /** Queues clients.lua with {@code op} and its arguments (see {@link #flush}). */
    private CompletableFuture<String> counts(String op, String... rest) {
        String[] args = new String[4 + rest.length];
        args[0] = op;
        args[1] = serverId;
        args[2] = prefix;
        args[3] = Long.toString(2 * HEARTBEAT_TTL_MS);
        System.arraycopy(rest, 0, args, 4, rest.length);
        CompletableFuture<String> result = new CompletableFuture<>();
        outbox.add(() -> redis.<String>eval(CLIENTS, ScriptOutputType.VALUE,
                new String[] {prefix + "servers", prefix + "clients", clientsKey()}, args)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        countsStale = true;
                        result.completeExceptionally(e);
                    } else {
                        result.complete(r);
                    }
                }));
        return result;
    }

    /**
     * Sends the queued commands to Redis in the order they were queued, one sender at a time. The hub queues
     * them under its locks and flushes after releasing them: no system call (a Netty wake-up) is made while
     * every join and connect waits for the hub's lock, and messages to each server keep their order.
     */
    @Override
    public void flush() {
        while (!outbox.isEmpty() && flushing.tryLock()) {
            try {
                for (Runnable command = outbox.poll(); command != null; command = outbox.poll()) {
                    try {
                        command.run();
                    } catch (RedisException e) {
                        // Failed futures carry what matters; a command refused at once is lost as they are.
                        countsStale = true;
                        missed = true;
                    }
                }
            } finally {
                flushing.unlock();
            }
        }
    }

    private String clientsKey() {
        return prefix + "srv-clients:" + serverId;
    }

    @Override
    public Map<String, String> admit(String room, String clientId, String address, SignalingSettings limits)
            throws Refused, Unavailable {
        String addr = address == null ? "" : address;
        List<Object> result;
        try {
            result = this.<List<Object>>run(ADMIT, ScriptOutputType.MULTI,
                    new String[] {roomKey(room), prefix + "rooms", prefix + "addr:" + addr, prefix + "epoch",
                        prefix + "recovering"},
                    clientId, serverId, Integer.toString(limits.roomCapacity()), Integer.toString(limits.maxRooms()),
                    Integer.toString(limits.maxRoomsPerAddress()), room, addr, Long.toString(ROOM_TTL_MS))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        } catch (ExecutionException | TimeoutException | RedisException e) {
            // Too slow, not necessarily undone: take it out again so it holds no place nobody uses.
            remove(room, clientId);
            throw new Unavailable("the servers' shared state (Redis) is out of reach; try again shortly", e);
        }
        String status = String.valueOf(result.get(0));
        return switch (status) {
            case "ok" -> members(result.subList(1, result.size()));
            case "room-full" -> throw new Refused(ErrorCode.ROOM_FULL, "room '" + room + "' is full ("
                    + limits.roomCapacity() + " of " + limits.roomCapacity() + ")");
            case "too-many-rooms" -> throw new Refused(ErrorCode.TOO_MANY_ROOMS, "the servers hold their limit of "
                    + limits.maxRooms() + " rooms; try again later");
            case "too-many-rooms-address" -> throw new Refused(ErrorCode.TOO_MANY_ROOMS, "your address created its "
                    + "limit of " + limits.maxRoomsPerAddress() + " rooms; join an existing one or leave one first");
            case "unavailable" -> throw new Unavailable("the servers are rewriting their rooms after Redis lost its "
                    + "data; try again in a few seconds", null);
            default -> throw new Unavailable("unexpected answer from Redis: " + status, null);
        };
    }

    @Override
    public void remove(String room, String... clientIds) {
        String[] args = new String[clientIds.length + 2];
        args[0] = prefix;
        args[1] = room;
        System.arraycopy(clientIds, 0, args, 2, clientIds.length);
        Runnable[] removal = new Runnable[1];
        removal[0] = () -> this.<Long>run(REMOVE, ScriptOutputType.INTEGER, new String[] {roomKey(room)}, args)
                .whenComplete((r, e) -> retryLater(e, removal[0]));
        outbox.add(removal[0]);
    }

    /**
     * A removal or a leave that could not reach Redis is tried again when it returns (bounded: past the
     * bound, rooms are still rewritten by their servers and dead members expire with their rooms).
     */
    private void retryLater(Throwable failure, Runnable again) {
        if (failure != null && again != null && retries.size() < MAX_RETRIES) {
            retries.add(again);
        }
    }

    @Override
    public void send(String toServer, String message) {
        boolean leave = message.startsWith("L\n");
        outbox.add(() -> redis.publish(channel(toServer), message).whenComplete((r, e) -> {
            if (e != null) {
                missed = true;
                hub.stats().clusterDropped.increment();
                retryLater(e, leave ? () -> send(toServer, message) : null);
            }
        }));
    }

    /**
     * The TURN secret every server shares: the first server to ask stores {@code proposal}, the
     * others get it. Every heartbeat renews it, so it lasts while any server runs and goes two minutes after.
     */
    public String sharedTurnSecret(byte[] proposal) {
        String key = prefix + TURN_SECRET;
        String name = "TURN secret";
        try {
            redis.set(key, new String(proposal, StandardCharsets.UTF_8),
                    io.lettuce.core.SetArgs.Builder.nx().px(120_000)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return redis.get(key).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException | RedisException e) {
            throw new IllegalArgumentException("cannot read the shared " + name + " from Redis: " + e.getMessage(), e);
        }
    }

    /** Rewrites this server's members of {@code room} and hands the hub the room as Redis now holds it. */
    @Override
    public void resync(String room) {
        List<String> mine = hub.clusterRooms.localMembers(room);
        String[] args = new String[mine.size() + 5];
        args[0] = prefix;
        args[1] = serverId;
        args[2] = Long.toString(ROOM_TTL_MS);
        args[3] = "sync";
        args[4] = room;
        for (int i = 0; i < mine.size(); i++) {
            args[5 + i] = mine.get(i);
        }
        try {
            this.<List<Object>>run(TOUCH, ScriptOutputType.MULTI, new String[] {roomKey(room)}, args)
                    .thenAccept(all -> hub.clusterRooms.members(room, members(all)));
        } catch (RedisException e) {
            // Unreachable again: the next successful heartbeat resynchronises.
        }
    }

    private void tick() {
        SignalingHub h = hub;
        try {
            List<Object> live = this.<List<Object>>run(HEARTBEAT, ScriptOutputType.MULTI,
                    new String[] {prefix + "servers", prefix + "clients", prefix + "epoch", prefix + "recovering",
                        prefix + TURN_SECRET, prefix + "rooms", clientsKey()},
                    serverId, Long.toString(HEARTBEAT_TTL_MS), Long.toString(2 * HEARTBEAT_TTL_MS), epoch,
                    newServerId(), Long.toString(RECOVERY_MS)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int n = live.size();
            String now = String.valueOf(live.get(n - 2));
            boolean recovering = "1".equals(String.valueOf(live.get(n - 1)));
            Set<String> servers = new HashSet<>();
            for (Object id : live.subList(0, n - 2)) {
                servers.add(String.valueOf(id));
            }
            // Rewrite the rooms after missing joins and leaves, or after Redis lost them (a new epoch); not
            // after a heartbeat that was only slow: rewriting every room then would only add to the load.
            boolean returned = !reachable || missed || (!epoch.isEmpty() && !epoch.equals(now));
            epoch = now;
            reachable = true;
            missed = false;
            failedBeats = 0;
            for (int k = retries.size(); k > 0; k--) { // removals and leaves that failed (each may fail again)
                Runnable r = retries.poll();
                if (r == null) {
                    break;
                }
                r.run();
            }
            if (returned) {
                resyncs.incrementAndGet();
                LOG.info("Redis is reachable again; resynchronising {} rooms", h.clusterRooms.localRoomNames().size());
            }
            if (returned || countsStale) {
                countsStale = false;
                h.rewriteClientCounts();
            }
            List<String> rooms = h.clusterRooms.localRoomNames();
            if (returned) {
                for (String room : rooms) {
                    resync(room);
                    for (String other : h.clusterRooms.remoteServers(room)) {
                        send(other, "R\n" + room);
                    }
                }
            } else {
                touch(rooms);
            }
            if (!recovering) { // while servers rewrite their rooms, one that has not yet beaten is not dead
                h.clusterRooms.liveServers(servers);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            failedBeats++;
            beatsFailed.incrementAndGet();
            if (reachable && (failedBeats >= UNREACHABLE_BEATS || !connection.isOpen())) {
                LOG.warn("Redis is out of reach ({}); joins are refused until it returns", e.toString());
                reachable = false;
            } else if (reachable) {
                LOG.info("a heartbeat failed ({}); Redis is out of reach after {} in a row", e, UNREACHABLE_BEATS);
            }
        } finally {
            flush(); // R messages, retried leaves, removals of dead servers' members
        }
    }

    /** Renews the rooms' expiry, a few hundred rooms per call rather than one call per room. */
    private void touch(List<String> rooms) {
        for (int from = 0; from < rooms.size(); from += TOUCH_BATCH) {
            List<String> batch = rooms.subList(from, Math.min(rooms.size(), from + TOUCH_BATCH));
            String[] args = new String[4 + batch.size()];
            args[0] = prefix;
            args[1] = serverId;
            args[2] = Long.toString(ROOM_TTL_MS);
            args[3] = "touch";
            for (int i = 0; i < batch.size(); i++) {
                args[4 + i] = batch.get(i);
            }
            this.<List<Object>>run(TOUCH, ScriptOutputType.MULTI, new String[0], args);
        }
    }

    /** Stops beating and disconnects, leaving the rooms to expire as a dead server's would (tests use it). */
    void halt() {
        timer.shutdownNow();
        subscription.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public void close() {
        SignalingHub h = hub;
        if (h != null) {
            for (String room : h.clusterRooms.localRoomNames()) {
                remove(room, h.clusterRooms.localMembers(room).toArray(String[]::new));
            }
            flush();
            try {
                redis.del(clientsKey());
                redis.hdel(prefix + "clients", serverId);
                redis.zrem(prefix + "servers", serverId).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RedisException e) {
                // its entries expire
            }
        }
        halt();
    }

    int heartbeatsFailed() {
        return beatsFailed.get();
    }

    int resynchronisations() {
        return resyncs.get();
    }

    String prefixForTests() {
        return prefix;
    }

    /** Runs a script by its SHA-1 (Redis caches them), sending its text only when Redis lost it (restarted). */
    private <T> CompletableFuture<T> run(String script, ScriptOutputType type, String[] keys,
            String... args) {
        return redis.<T>evalsha(SHAS.get(script), type, keys, args).toCompletableFuture()
                .exceptionallyCompose(e -> String.valueOf(e.getMessage()).contains("NOSCRIPT")
                        || String.valueOf(e.getCause()).contains("NOSCRIPT")
                        ? redis.<T>eval(script, type, keys, args).toCompletableFuture()
                        : CompletableFuture.failedFuture(e));
    }

    private String roomKey(String room) {
        return prefix + "room:" + room;
    }

    private String channel(String server) {
        return prefix + "srv:" + server;
    }

    /** Field/value pairs of a room hash, without the creator entry. */
    private static Map<String, String> members(List<Object> pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String field = String.valueOf(pairs.get(i));
            if (!field.startsWith("@")) {
                m.put(field, String.valueOf(pairs.get(i + 1)));
            }
        }
        return m;
    }

    private static String newServerId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
    }

    private static String sha1(String script) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String script(String name) {
        try (InputStream in = RedisCluster.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
