package org.rtc4j.testkit.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The test's own web server on {@code http://127.0.0.1:<port>} (the JDK's): it serves the pages a test
 * gives it, and takes pages' reports: a page POSTs to {@code /report/<name>} and the test
 * {@linkplain #awaitReport awaits} the body.
 */
public final class PageServer implements AutoCloseable {

    private static final int MAX_REPORT = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<String>> reports = new ConcurrentHashMap<>();

    private record Resource(String contentType, byte[] body) {
    }

    private PageServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on a free port of 127.0.0.1. */
    public static PageServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        PageServer pages = new PageServer(server, executor);
        server.createContext("/", pages::handle);
        server.start();
        return pages;
    }

    /** Serves {@code html} at {@code path}. */
    public PageServer page(String path, String html) {
        return resource(path, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** Serves a class-path resource at {@code path}, with a content type from its extension. */
    public PageServer classpath(String path, Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " next to " + anchor.getName());
            }
            return resource(path, contentType(resource), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PageServer resource(String path, String contentType, byte[] body) {
        if (!path.startsWith("/") || path.startsWith("/report/")) {
            throw new IllegalArgumentException("pages live at /..., outside /report/: " + path);
        }
        resources.put(path, new Resource(contentType, body.clone()));
        return this;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Waits for the next report a page posted to {@code /report/<name>} and returns its body.
     *
     * @throws BrowserException when none comes within {@code timeout}
     */
    public String awaitReport(String name, Duration timeout) throws InterruptedException {
        String body = queue(name).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (body == null) {
            throw new BrowserException("no report '" + name + "' within " + timeout);
        }
        return body;
    }

    /** Reports posted to {@code /report/<name>} and not yet awaited. */
    public List<String> pendingReports(String name) {
        return List.copyOf(queue(name));
    }

    private BlockingQueue<String> queue(String name) {
        return reports.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/report/") && "POST".equals(exchange.getRequestMethod())) {
                byte[] body = exchange.getRequestBody().readNBytes(MAX_REPORT);
                queue(path.substring("/report/".length())).add(new String(body, StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            Resource resource = resources.get(path);
            if (resource == null || !"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", resource.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, resource.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(resource.body());
            }
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
