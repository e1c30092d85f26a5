package org.rtc4j.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The web app: a fixed set of files read from the class path ({@code /web/...}) once, at start-up. */
final class StaticFiles {
    /** Every file the app consists of. A file not listed here is not served. */
    static final List<String> FILES = List.of(
            "index.html", "room.html", "app.css", "favicon.svg",
            "js/landing.js", "js/room.js", "js/signaling.js", "js/peer.js", "js/stats.js", "js/media.js",
            "js/plots.js", "internals.html", "js/internals.js",
            // file transfer: the page at /t, and the call's "send a file"
            "transfer.html", "transfer.css", "js/transfer.js", "js/transfer-wire.js", "js/transfer-session.js",
            "js/transfer-store.js", "js/transfer-store-worker.js", "js/transfer-ui.js", "js/sha256.js",
            "js/chat-files.js");
    /** uPlot (the plots), served from its WebJar on the class path under /vendor/uplot/. */
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    static final List<String> UPLOT_FILES = List.of("uPlot.iife.min.js", "uPlot.min.css");

    record File(byte[] bytes, String contentType) {
    }

    private final Map<String, File> files = new HashMap<>();

    StaticFiles() {
        for (String name : FILES) {
            try (InputStream in = StaticFiles.class.getResourceAsStream("/web/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the web app is incomplete: /web/" + name + " is missing from the jar");
                }
                files.put("/" + name, new File(in.readAllBytes(), contentType(name)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String name : UPLOT_FILES) {
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(UPLOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("uPlot is missing from the class path: " + UPLOT + name
                            + " (org.webjars.npm:uplot)");
                }
                files.put("/vendor/uplot/" + name, new File(in.readAllBytes(), contentType(name)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The file at an absolute path such as {@code /js/room.js}, or null. */
    File get(String path) {
        return files.get(path);
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }
}
