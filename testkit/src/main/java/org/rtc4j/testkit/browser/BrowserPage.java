package org.rtc4j.testkit.browser;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A tab of a {@link Chromium}: evaluate JavaScript in it (promises awaited, results returned as JSON
 * values: maps, lists, strings, {@code Long}/{@code Double}, booleans, null), and read what it logged.
 */
public final class BrowserPage {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 200;

    private final Chromium browser;
    private final DevTools devTools;
    private final String targetId;
    private final String sessionId;
    private final List<String> console = new ArrayList<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    BrowserPage(Chromium browser, DevTools devTools, String targetId, String sessionId) {
        this.browser = browser;
        this.devTools = devTools;
        this.targetId = targetId;
        this.sessionId = sessionId;
        devTools.onEvent(this::onEvent);
        devTools.call(sessionId, "Runtime.enable", Map.of(), DEFAULT_TIMEOUT);
        devTools.call(sessionId, "Page.enable", Map.of(), DEFAULT_TIMEOUT);
    }

    /** Loads {@code url} and waits for its load event. */
    public void navigate(URI url, Duration timeout) {
        loaded = new CompletableFuture<>();
        Map<String, Object> result = devTools.call(sessionId, "Page.navigate", Map.of("url", url.toString()), timeout);
        if (result.get("errorText") instanceof String error) {
            throw new BrowserException("cannot load " + url + ": " + error);
        }
        try {
            loaded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BrowserException(url + " did not load within " + timeout + diagnostics());
        } catch (ExecutionException e) {
            throw new BrowserException("loading " + url + " failed" + diagnostics(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrowserException("interrupted loading " + url, e);
        }
    }

    /** Evaluates {@code expression}, awaits it if it is a promise, and returns its value (30 s at most). */
    public Object evaluate(String expression) {
        return evaluate(expression, DEFAULT_TIMEOUT);
    }

    /**
     * Evaluates {@code expression}, awaits it if it is a promise, and returns its value. It runs as if the
     * person had just clicked (user activation), as {@code getDisplayMedia} and autoplay with sound need.
     *
     * @throws BrowserException when the script throws or the promise rejects (with the page's console), or
     *     when no answer comes within {@code timeout}
     */
    public Object evaluate(String expression, Duration timeout) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("expression", expression);
        params.put("awaitPromise", true);
        params.put("returnByValue", true);
        params.put("userGesture", true);
        params.put("timeout", timeout.toMillis());
        Map<String, Object> response;
        try {
            // The DevTools call waits a little longer than the script may run, so the script's own timeout wins.
            response = devTools.call(sessionId, "Runtime.evaluate", params, timeout.plusSeconds(5));
        } catch (BrowserException e) {
            throw new BrowserException(e.getMessage() + " evaluating " + abbreviate(expression) + diagnostics(), e);
        }
        if (response.get("exceptionDetails") instanceof Map<?, ?> details) {
            throw new BrowserException("the page threw evaluating " + abbreviate(expression) + ": "
                    + describe(details) + diagnostics());
        }
        Object result = response.get("result");
        return result instanceof Map<?, ?> r ? r.get("value") : null;
    }

    /** Evaluates and expects a JSON object back. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> evaluateObject(String expression, Duration timeout) {
        Object value = evaluate(expression, timeout);
        if (!(value instanceof Map)) {
            throw new BrowserException("expected an object from " + abbreviate(expression) + ", got " + value);
        }
        return (Map<String, Object>) value;
    }

    /**
     * Evaluates {@code expression} every {@code 200 ms} until {@code done} accepts its value, and returns that
     * value: for waiting on facts the page can observe (frames decoded, element state), not on fixed times.
     *
     * @throws BrowserException with the last value and the page's console when {@code timeout} passes first
     */
    public Object waitFor(String what, String expression, Predicate<Object> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (true) {
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
            // One evaluation may take all that is left (a loaded machine), but never less than a second.
            last = evaluate(expression, left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new BrowserException("timed out after " + timeout + " waiting for " + what + "; last value "
                        + truncate(String.valueOf(last), 1000) + diagnostics());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrowserException("interrupted waiting for " + what, e);
            }
        }
    }

    /** A PNG of what the tab shows now (its viewport). */
    public byte[] screenshot(Duration timeout) {
        Map<String, Object> result = devTools.call(sessionId, "Page.captureScreenshot", Map.of("format", "png"), timeout);
        if (!(result.get("data") instanceof String data)) {
            throw new BrowserException("Page.captureScreenshot returned no image");
        }
        return Base64.getDecoder().decode(data);
    }

    /** What the page logged (console calls and uncaught exceptions), oldest first. */
    public List<String> console() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    /** Closes this tab. */
    public void close() {
        devTools.call(null, "Target.closeTarget", Map.of("targetId", targetId), DEFAULT_TIMEOUT);
    }

    public Chromium browser() {
        return browser;
    }

    public String targetId() {
        return targetId;
    }

    private void onEvent(DevTools.Event event) {
        if (!sessionId.equals(event.sessionId())) {
            return;
        }
        switch (event.method()) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.consoleAPICalled" -> {
                StringBuilder line = new StringBuilder(String.valueOf(event.params().get("type"))).append(':');
                if (event.params().get("args") instanceof List<?> args) {
                    for (Object arg : args) {
                        if (arg instanceof Map<?, ?> a) {
                            Object v = a.containsKey("value") ? a.get("value") : a.get("description");
                            line.append(' ').append(v);
                        }
                    }
                }
                log(line.toString());
            }
            case "Runtime.exceptionThrown" -> {
                if (event.params().get("exceptionDetails") instanceof Map<?, ?> details) {
                    log("uncaught: " + describe(details));
                }
            }
            default -> {
            }
        }
    }

    private void log(String line) {
        synchronized (console) {
            if (console.size() < 10_000) {
                console.add(line);
            }
        }
    }

    private static String describe(Map<?, ?> details) {
        if (details.get("exception") instanceof Map<?, ?> exception && exception.get("description") != null) {
            return String.valueOf(exception.get("description"));
        }
        return String.valueOf(details.get("text"));
    }

    private String diagnostics() {
        List<String> lines = console();
        if (lines.isEmpty()) {
            return "";
        }
        return "\npage console:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static String abbreviate(String s) {
        return truncate(s, 120);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
