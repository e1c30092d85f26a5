package org.rtc4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PacedSource;
import org.rtc4j.media.container.ContainerFrameReader;
import org.rtc4j.rtp.Codec;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.signaling.internal.PlainHttp;
import org.rtc4j.signaling.SignalingEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./rtc4j call URL}: joins a room of the demo as one more participant (a bot in a call), sends the test
 * pattern and tone or files, records what the others send, and leaves on Ctrl-C (or after {@code --seconds}).
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Joins a room of the demo (./rtc4j demo) at the URL people share, sends the test pattern and "
                + "tone (or files), records what it receives, and leaves on Ctrl-C.")
public final class CallCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(CallCommand.class);

    @Parameters(index = "0", description = "the room's URL, as the demo shows it: http://host:port/r/<room>")
    URI url;

    @Option(names = "--video-file", description = "send this file's video frames unchanged (IVF, Annex B, WebM, "
            + "Matroska) instead of the VP8 test pattern")
    Path videoFile;

    @Option(names = "--audio-file", description = "send this file's Opus audio (Ogg Opus, WebM) instead of the tone")
    Path audioFile;

    @Option(names = "--record", description = "record each received track into a file in this directory "
            + "(WebM or Matroska for video, Ogg for Opus)")
    Path record;

    @Option(names = "--seconds", description = "leave after this many seconds (default: stay until Ctrl-C)")
    Double seconds;

    private final CompletableFuture<String> left = new CompletableFuture<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> new Thread(r, "rtc4j-call"));
    private final Map<String, CallPeer> peers = new LinkedHashMap<>();
    /** The tracks all connections share (the encoded pattern), stopped when we leave. */
    private final List<MediaStreamTrack> tracks = new ArrayList<>();
    private final List<CallPeer.Source> sources = new ArrayList<>();
    private SignalingClient signaling;
    private CallRecorder recorder;
    private RTCConfiguration configuration;

    @Override
    public Integer call() throws Exception {
        String room = room(url);
        if (seconds != null && !(seconds > 0)) {
            throw usage("--seconds must be above 0");
        }
        if (videoFile != null) {
            reader(videoFile, MediaKind.VIDEO).close();   // usage errors before joining
        }
        if (audioFile != null) {
            reader(audioFile, MediaKind.AUDIO).close();
        }
        // SIGINT and SIGTERM end the wait below: we leave in order and exit 0. Any other end of the JVM still
        // leaves through the hook.
        Thread hook = new Thread(() -> leave("interrupted"), "rtc4j-call-leave");
        Runtime.getRuntime().addShutdownHook(hook);
        StopSignals signals = StopSignals.install("call", () -> left.complete("stopped by a signal"));
        try {
            configuration = RTCConfiguration.defaults().withIceServers(iceServers(url));
            recorder = record == null ? null : new CallRecorder(record);
            // Files and the pre-encoded tone play on each connection's loop (LoopPlayer), each from its start; the
            // pattern, encoded as it is read, keeps one thread of its own for every connection.
            sources.add(audioFile != null
                    ? CallPeer.Source.played(() -> reader(audioFile, MediaKind.AUDIO), true, MediaKind.AUDIO, "audio file")
                    : CallPeer.Source.played(EncodedTone::new, false, MediaKind.AUDIO, "tone"));
            if (videoFile != null) {
                sources.add(CallPeer.Source.played(() -> reader(videoFile, MediaKind.VIDEO), true, MediaKind.VIDEO,
                        "video file"));
            } else {
                MediaStreamTrack pattern = new PacedSource(new EncodedPattern(Codec.VP8), false, "pattern").createTrack();
                tracks.add(pattern);
                sources.add(CallPeer.Source.shared(pattern));
            }
            URI ws = URI.create(("https".equals(url.getScheme()) ? "wss" : "ws") + "://" + url.getRawAuthority() + "/ws");
            signaling = SignalingClient.connect(ws, this::post).get(15, TimeUnit.SECONDS);
            SignalingEvent.Joined joined = signaling.join(room).get(15, TimeUnit.SECONDS);
            System.err.println("call: joined room " + room + " as " + joined.id() + " with " + joined.peers().size()
                    + " other(s); Ctrl-C leaves");
            // We are the newcomer: we call those who are there (the web app's rule, room.js).
            events.execute(() -> {
                for (String id : joined.peers()) {
                    step(id, () -> peer(id, false).offer());
                }
            });
            String why = seconds == null ? left.get() : left.completeOnTimeout("time is up",
                    (long) (seconds * 1000), TimeUnit.MILLISECONDS).get();
            leave(why);
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            leave("failed");
            System.err.println("call: " + e.getCause().getMessage());
            return 1;
        } finally {
            signals.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook runs leave()
            }
        }
    }

    /** Hands a signaling event to the events thread; those after we left (our own leave, the close) go. */
    private void post(SignalingEvent e) {
        try {
            events.execute(() -> on(e));
        } catch (java.util.concurrent.RejectedExecutionException left) {
            LOG.debug("after leaving: {}", e);
        }
    }

    /** What the signaling server tells us, on the events thread. */
    private void on(SignalingEvent e) {
        switch (e) {
            case SignalingEvent.Relayed r when r.type().equals("offer") || r.type().equals("answer") ->
                    step(r.from(), () -> peer(r.from(), true).onDescription(r.data()));
            case SignalingEvent.Relayed r when r.type().equals("candidate") -> {
                CallPeer p = peers.get(r.from());
                if (p != null) {
                    p.onCandidate(r.data());
                }
            }
            case SignalingEvent.PeerJoined j -> LOG.info("{} joined", j.id());
            case SignalingEvent.PeerLeft l -> {
                CallPeer p = peers.remove(l.id());
                if (p != null) {
                    p.close();
                }
                System.err.println("call: " + l.id() + " left");
            }
            case SignalingEvent.Closed c -> left.complete("the signaling server closed the connection");
            case SignalingEvent.Error err -> System.err.println("call: the server says " + err.code() + ": "
                    + err.message());
            default -> {
            }
        }
    }

    private CallPeer peer(String id, boolean polite) {
        return peers.computeIfAbsent(id, k -> new CallPeer(k, polite, signaling, configuration, sources, recorder));
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String id, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("{}: {}", id, e.toString());
        }
    }

    /** Leaves the room and closes everything, once; the recordings are complete when it returns. */
    void leave(String why) {
        synchronized (this) {
            if (events.isShutdown()) {
                return;
            }
            events.shutdown();
        }
        left.complete(why);
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (signaling != null) {
            signaling.leave();
            signaling.close();
        }
        for (CallPeer p : peers.values()) {
            p.close();
        }
        for (MediaStreamTrack t : tracks) {
            t.stop();
        }
        if (recorder != null) {
            recorder.close();
            System.err.println("call: recorded " + recorder.frames() + " frames in " + recorder.files());
        }
        System.err.println("call: left (" + why + ")");
    }

    /** The peers connected now (for tests). */
    CompletableFuture<List<CallPeer>> peers() {
        return CompletableFuture.supplyAsync(() -> List.copyOf(peers.values()), events);
    }

    CallRecorder recorder() {
        return recorder;
    }

    /** The room name of a demo URL: {@code /r/<room>}. */
    private String room(URI u) {
        if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getRawAuthority() == null
                || u.getRawPath() == null || !u.getRawPath().startsWith("/r/") || u.getRawPath().length() <= 3) {
            throw usage("the URL of a room is http(s)://host:port/r/<room>, not " + u);
        }
        return URLDecoder.decode(u.getRawPath().substring(3), StandardCharsets.UTF_8);
    }

    private FrameReader reader(Path file, MediaKind kind) {
        try {
            ContainerFrameReader r = new ContainerFrameReader(file, kind, 30);
            if (kind == MediaKind.AUDIO && r.track().codec() != Codec.OPUS) {
                throw usage("--audio-file holds " + r.track().codec().encodingName() + "; send Opus");
            }
            return r;
        } catch (IOException e) {
            throw usage("--" + kind.toString().toLowerCase() + "-file " + file + ": " + e.getMessage());
        }
    }

    /** The server's STUN and TURN servers ({@code GET /api/ice-servers}, as the web app asks); none if it fails. */
    private static List<RTCIceServer> iceServers(URI room) {
        List<RTCIceServer> out = new ArrayList<>();
        try {
            URI api = room.resolve("/api/ice-servers");
            HttpResponse<String> r = PlainHttp.clientFor(api).send(HttpRequest.newBuilder(api)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return out;
            }
            for (JsonNode s : PeerLines.JSON.readTree(r.body()).path("iceServers")) {
                List<String> urls = new ArrayList<>();
                s.path("urls").forEach(u -> urls.add(u.asText()));
                if (s.path("urls").isTextual()) {
                    urls.add(s.path("urls").asText());
                }
                if (urls.isEmpty()) {
                    continue;
                }
                out.add(s.has("username")
                        ? RTCIceServer.withCredentials(s.path("username").asText(), s.path("credential").asText(),
                                urls.toArray(String[]::new))
                        : RTCIceServer.of(urls.toArray(String[]::new)));
            }
        } catch (IOException e) {
            LOG.info("no ICE servers from the server: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), message);
    }
}
