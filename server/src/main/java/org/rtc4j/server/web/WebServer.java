package org.rtc4j.server.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.rtc4j.server.signaling.RedisCluster;
import org.rtc4j.server.signaling.SignalingHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the demo: the web app, the signaling WebSocket at {@code /ws}, {@code /api/ice-servers},
 * {@code /healthz} and Prometheus metrics at {@code /metrics}, on one Jetty connector (HTTP or HTTPS).
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** WebSocket frames larger than this are refused by Jetty (close 1009) before the hub sees them. */
    private static final int FRAME_LIMIT_FACTOR = 4;
    /** How long a stop waits for the close frames to leave. */
    private static final Duration GOING_AWAY_WAIT = Duration.ofSeconds(2);

    private final WebServerConfig config;
    private final SignalingHub hub;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Server server;
    private final ServerConnector connector;
    private final Counter rejectedOrigins;
    private final Counter rejectedHosts;
    private final ConnectionsPerAddress connectionsPerAddress;
    private final SlowRequests slowRequests;
    /** A page asks once per call (and per ICE restart): 20 at once, then one every 6 seconds, per address. */
    private final RatePerAddress credentialRate = new RatePerAddress(1 / 6.0, 20);
    private final Counter rejectedCredentials;
    private final JvmMetrics jvmMetrics;
    private final ObjectMapper json = new ObjectMapper();
    /** The operator page's data, once enabled with a token; null: /internals is not served. */
    private volatile Internals internals;
    /** Open signaling WebSockets, told "going away" when the server stops. */
    private final Set<SignalingEndpoint> endpoints = ConcurrentHashMap.newKeySet();

    private WebServer(WebServerConfig config, RedisCluster cluster) throws IOException {
        this.config = config;
        this.hub = new SignalingHub(config.signaling(), cluster);
        SignalingMetrics.bind(metrics, hub);
        jvmMetrics = new JvmMetrics(metrics);
        io.micrometer.core.instrument.FunctionCounter.builder("rtc4j.http.refused.connections", this,
                w -> w.connectionsPerAddress.refused())
                .description("TCP connections closed at accept: their address held its limit").register(metrics);
        rejectedOrigins = Counter.builder("rtc4j.signaling.rejected.origins")
                .description("WebSocket handshakes refused for their Origin").register(metrics);
        rejectedCredentials = Counter.builder("rtc4j.http.rejected.ice.servers")
                .description("/api/ice-servers requests refused for their address's rate (each carries TURN credentials)")
                .register(metrics);
        rejectedHosts = Counter.builder("rtc4j.http.rejected.hosts")
                .description("HTTP requests refused for a Host header that names another server (DNS rebinding)")
                .register(metrics);

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("rtc4j-web");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        if (config.tls()) {
            // No SNI host check: a self-signed certificate for "localhost" must also serve 127.0.0.1.
            http.addCustomizer(new SecureRequestCustomizer(false));
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            char[] password = randomPassword();
            ssl.setKeyStore(PemKeyStore.load(config.tlsCert(), config.tlsKey(), password));
            ssl.setKeyStorePassword(new String(password));
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        if (config.host() != null && !config.host().isEmpty()) {
            connector.setHost(config.host());
        }
        connector.setPort(config.port());
        connectionsPerAddress = new ConnectionsPerAddress(config.maxConnectionsPerAddress());
        connector.addEventListener(connectionsPerAddress);
        slowRequests = new SlowRequests(config.requestTimeout());
        connector.addEventListener(slowRequests);
        io.micrometer.core.instrument.FunctionCounter.builder("rtc4j.http.slow.requests", slowRequests,
                SlowRequests::closed)
                .description("HTTP connections closed for a request slower than the request timeout (slowloris)")
                .register(metrics);
        server.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize((long) config.signaling().maxMessageBytes() * FRAME_LIMIT_FACTOR);
            container.setMaxBinaryMessageSize(1024);
            container.setIdleTimeout(Duration.ofMinutes(2));
            container.setMaxOutgoingFrames(4096);
            container.addMapping("/ws", (request, response, callback) -> {
                String origin = request.getHeaders().get(HttpHeader.ORIGIN);
                if (!config.origins().allows(origin, request.isSecure(), Request.getServerName(request),
                        Request.getServerPort(request))) {
                    // A page of another site: refused before any room is reachable (see OriginPolicy).
                    rejectedOrigins.increment();
                    LOG.debug("refused a WebSocket from origin {}", origin);
                    Response.writeError(request, response, callback, 403, "origin not allowed: use --allowed-origin");
                    return null;
                }
                return new SignalingEndpoint(hub, endpoints);
            });
        });
        ws.setHandler(new Routes(new StaticFiles(), new IceServersResponse(config.iceServers(), json)));
        context.setHandler(ws);
        server.setHandler(new HostCheck(context));
    }

    /**
     * Starts a server.
     *
     * @throws IOException when the port is taken (with a message that says so) or TLS files are unusable
     */
    public static WebServer start(WebServerConfig config) throws IOException {
        return start(config, null);
    }

    /** Starts a server whose rooms are shared with the other servers on {@code cluster} (null: alone). */
    public static WebServer start(WebServerConfig config, RedisCluster cluster) throws IOException {
        WebServer web = new WebServer(config, cluster);
        try {
            web.server.start();
        } catch (Exception e) {
            web.close();
            Throwable cause = e;
            while (cause != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            String where = (config.host() == null || config.host().isEmpty() ? "*" : config.host()) + ":" + config.port();
            if (cause != null) {
                throw new IOException("cannot listen on " + where + ": the port is already in use (choose another"
                        + " with --port, or --port 0 for any free one)", e);
            }
            throw new IOException("cannot start the web server on " + where + ": " + e.getMessage(), e);
        }
        web.slowRequests.start(web.connector.getScheduler());
        LOG.info("web server listening on {}", web.url());
        return web;
    }

    /** The port the server listens on (the chosen one when started with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The app's URL, for people: {@code localhost} when bound to every interface. */
    public URI url() {
        String host = config.host() == null || config.host().isEmpty() || config.host().equals("0.0.0.0")
                || config.host().equals("::") ? "localhost" : IceServersResponse.urlHost(config.host());
        return URI.create((config.tls() ? "https" : "http") + "://" + host + ":" + port() + "/");
    }

    public SignalingHub hub() {
        return hub;
    }

    /** The registry behind {@code /metrics}; other engines (the TURN server) add their meters here. */
    public MeterRegistry metrics() {
        return metrics;
    }

    /**
     * Serves the operator page at {@code /internals}: rooms, participants, TURN allocations and traffic over
     * time, from the meters of {@code /metrics}; its data only to requests with {@code token}.
     *
     * @throws IllegalArgumentException for a token shorter than 16 characters
     */
    public void enableInternals(String token) {
        internals = new Internals(metrics, hub, token, json);
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops the server: every signaling WebSocket is closed with 1001, going away (RFC 6455 section 7.4.1), so
     * that pages know the server left rather than the network, then the connector and threads stop.
     */
    @Override
    public void close() {
        List<SignalingEndpoint> open = List.copyOf(endpoints);
        if (!open.isEmpty()) {
            CountDownLatch sent = new CountDownLatch(open.size());
            open.forEach(e -> e.goAway(sent::countDown));
            try {
                if (!sent.await(GOING_AWAY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.info("{} of {} WebSockets did not take their close frame in time", sent.getCount(), open.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("closed {} signaling WebSockets: going away (1001)", open.size());
        }
        slowRequests.stop();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the web server: {}", e.toString());
        }
        jvmMetrics.close();
        if (internals != null) {
            internals.close();
        }
    }

    private static char[] randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b).toCharArray();
    }

    /** Refuses, before anything else, a request whose Host is not a name of this server (see HostPolicy). */
    private final class HostCheck extends Handler.Wrapper {
        HostCheck(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String host = request.getHttpURI().getHost();
            if (!config.hosts().allows(host)) {
                rejectedHosts.increment();
                Response.writeError(request, response, callback, 421,
                        "this server does not answer to '" + host + "'; start it with --allowed-host " + host);
                return true;
            }
            return super.handle(request, response, callback);
        }
    }

    /** Everything that is not the WebSocket. */
    private final class Routes extends Handler.Abstract {
        private final StaticFiles files;
        private final IceServersResponse iceServers;

        Routes(StaticFiles files, IceServersResponse iceServers) {
            this.files = files;
            this.iceServers = iceServers;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                Response.writeError(request, response, callback, 405);
                return true;
            }
            String path = Request.getPathInContext(request);
            switch (path) {
                case "/healthz" -> text(response, callback, 200, "application/json", "{\"status\":\"ok\"}");
                case "/metrics" -> text(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
                case "/api/ice-servers" -> {
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                    if (!credentialRate.tryTake(Request.getRemoteAddr(request), System.nanoTime())) {
                        // Each answer holds fresh TURN credentials, each good for allocations: bounded per address.
                        rejectedCredentials.increment();
                        response.getHeaders().put(HttpHeader.RETRY_AFTER, "10");
                        Response.writeError(request, response, callback, 429, "too many requests for ICE servers");
                        return true;
                    }
                    text(response, callback, 200, "application/json",
                            iceServers.body(Request.getServerName(request), Instant.now()));
                }
                case "/api/internals" -> {
                    Internals i = internals;
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                    if (i == null) {
                        Response.writeError(request, response, callback, 404);
                    } else if (!i.allows(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"rtc4j internals\"");
                        Response.writeError(request, response, callback, 401, "the operator's token is needed");
                    } else {
                        text(response, callback, 200, "application/json", i.body());
                    }
                }
                default -> serveFile(request, response, callback, path);
            }
            return true;
        }

        private void serveFile(Request request, Response response, Callback callback, String path) {
            String name = path;
            if (path.equals("/")) {
                name = "/index.html";
            } else if (path.equals("/internals") && internals != null) {
                name = "/internals.html";
            } else if (path.startsWith("/r/") && path.indexOf('/', 3) < 0 && path.length() > 3) {
                name = "/room.html"; // the page reads the room name from its own URL
            } else if (path.equals("/t")) {
                name = "/transfer.html"; // a link's nameplate and secret are in its fragment, never sent here
            }
            StaticFiles.File f = files.get(name);
            if (f == null || name.equals("/room.html") && !path.startsWith("/r/")
                    || name.equals("/internals.html") && !path.equals("/internals")
                    || name.equals("/transfer.html") && !path.equals("/t")) {
                Response.writeError(request, response, callback, 404);
                return;
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, f.contentType());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.write(true, ByteBuffer.wrap(f.bytes()), callback);
        }

        private void text(Response response, Callback callback, int status, String type, String body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        }
    }
}
