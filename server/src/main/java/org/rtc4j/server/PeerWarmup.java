package org.rtc4j.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.rtc4j.LoopPlayer;
import org.rtc4j.PeerPair;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCSettings;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.PushSource;
import org.rtc4j.media.TimedEncodedFrame;
import org.rtc4j.media.container.ContainerFrameReader;
import org.slf4j.LoggerFactory;

/**
 * Start-up work of {@code ./rtc4j peer}, before its measured part: connections between two peers inside this
 * JVM load and compile the code of ICE, DTLS and SCTP, so the measured run sees the code a long-running JVM
 * has (the setup time and MB/s it prints are those of a warm stack); for the media scenario, calls with audio
 * and video too; last, runs of the command itself ({@link #rehearse}). Failures only cost the warm-up.
 */
final class PeerWarmup {

    /** Enough connections for the JIT to compile the handshakes' hot code (each takes milliseconds once warm). */
    private static final int WARMUP_CONNECTIONS = Integer.getInteger("rtc4j.peer.warmup", 100);
    /** Then one bulk transfer, so the JIT has compiled the data path too (large packets, bundling, SACKs). */
    private static final long WARMUP_BULK_BYTES = Long.getLong("rtc4j.peer.warmupBytes", 40_000_000L);

    /** Calls with media for the media scenario: its first frames' way (SRTP, payloaders, jitter buffer) compiled. */
    private static final int WARMUP_MEDIA_CALLS = Integer.getInteger("rtc4j.peer.warmupMedia", 30);
    /**
     * Frames through the last of them. 5,000 (for C2 to compile the per-frame code before a measured call) did not
     * stop compilation inside a one-minute call, so the default stays small; the property is for experiments.
     */
    private static final int WARMUP_MEDIA_FRAMES = Integer.getInteger("rtc4j.peer.warmupMediaFrames", 300);

    /** Rehearsals of the command's own protocol at the end: see {@link #rehearse}. */
    private static final int REHEARSALS = Integer.getInteger("rtc4j.peer.warmupRehearsals", 10);

    /** Short calls between the two long ones: the branches of a call's first packets taken by compiled code. */
    private static final int WARMUP_CALL_STARTS = Integer.getInteger("rtc4j.peer.warmupCallStarts", 4);

    /** What the JIT's threads get after the warm-up: idle (SCHED_IDLE), nice (19) or normal (left as they are). */
    private static final String JIT_PRIORITY = System.getProperty("rtc4j.peer.jitPriority", "idle");

    /** Long calls after the short ones, at most: see {@link #longCalls}. */
    private static final int MAX_LONG_CALLS = Integer.getInteger("rtc4j.peer.warmupLongCalls", 4);
    /** Compilation during a long call below which the JIT counts as idle (what a call start alone costs it). */
    private static final long JIT_IDLE_MILLIS = 100;

    private static final RTCSettings LOOPBACK = RTCSettings.defaults().withLoopbackCandidates(true)
            .withInterfaceFilter(nif -> {
                try {
                    return nif.isLoopback();
                } catch (java.net.SocketException e) {
                    return false;
                }
            });

    private PeerWarmup() {
    }

    /**
     * Frames of a {@code --video-file} through the last call, instead: the call's own frames, so that the JIT
     * compiles its per-packet code (payloader, SRTP, jitter buffer of many-packet frames) with the call's
     * profile before the measured minute, not inside it (issue 17, performance).
     */
    private static final int WARMUP_FILE_FRAMES = Integer.getInteger("rtc4j.peer.warmupFileFrames", 3_000);

    /**
     * With {@code media}, calls with audio and video after the data-channel connections; with {@code videoFile},
     * the offer's {@code --video-file}, its frames through the last media call. {@code mediaLast}: the offerer of
     * the media scenario, whose measured call comes next, has its media calls end the warm-up (after the
     * rehearsals); any other process ends it with the rehearsals, data-channel set-ups after the media calls.
     * {@code sent}: the codec the call will most likely carry (an answerer cannot know: the offer's default).
     */
    static void run(boolean media, Path videoFile, boolean mediaLast, org.rtc4j.rtp.Codec sent) {
        long start = System.nanoTime();
        ProcessCpu.nanos();
        for (int i = 0; i < WARMUP_CONNECTIONS; i++) {
            connectOnce(0);
        }
        connectOnce(WARMUP_BULK_BYTES);
        warmJsonLines(JSON_LINE_ROUNDS);
        if (mediaLast) {
            rehearse(REHEARSALS);
        }
        if (media) {
            mediaCalls(videoFile, sent);
        }
        if (!mediaLast) {
            rehearse(REHEARSALS);
        }
        // Lowering the JIT's priority starts processes, and the first log event loads the logger's classes: both
        // load classes that deoptimise compiled code (CompletableFuture's, the loop's await), so they go before
        // the JIT settles, not inside the measured set-up that follows (issue 23).
        lowerJit(JIT_PRIORITY);
        LoggerFactory.getLogger(PeerWarmup.class).info("warm-up done in {} ms",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        settleJit();
    }

    /**
     * Lowers the compiler threads' priority once the warm-up has compiled the hot code (issue 23). Each measured
     * set-up still pushes a few dozen methods past a compile threshold (methods called a few times per connection
     * reach it only after hundreds of connections), and on a 2-core machine those compilations (about 10 ms of C2
     * per set-up, measured) took the core that the other side's loop was waiting for. The threads get SCHED_IDLE
     * ({@code chrt --idle}, sched(7)): a core running only such threads counts as idle when a loop wakes, so the
     * scheduler puts the loop there at once. At nice 19 (the fallback without chrt, and {@code
     * -Drtc4j.peer.jitPriority=nice}) a waking loop was instead often queued behind the other side's loop on the
     * same core while C2 kept the other one (0.8 ms seen in one hand-off, {@code perf sched timehist}); 7 set-ups
     * alternated with nice 19: median 9.9 against 13.2 ms. Linux threads are tasks with their own policy; lowering
     * it needs no privilege, and the threads the JIT adds later inherit it from the compiler thread that starts
     * them. Without /proc, chrt or renice nothing changes; {@code -Drtc4j.peer.jitPriority=normal} leaves them.
     */
    static void lowerJit(String priority) {
        if (priority.equals("normal")) {
            return;
        }
        List<String> tids = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    String name = Files.readString(t.resolve("comm"));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        tids.add(t.getFileName().toString());
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
            if (tids.isEmpty()) {
                return;
            }
            boolean idle = priority.equals("idle");
            for (String tid : idle ? tids : List.<String>of()) {
                idle &= run(List.of("chrt", "--idle", "-p", "0", tid)); // chrt takes one task at a time
            }
            if (!idle) {
                List<String> renice = new ArrayList<>(List.of("renice", "-n", "19", "-p"));
                renice.addAll(tids);
                run(renice);
            }
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(PeerWarmup.class).debug("could not lower the JIT's priority", e);
        }
    }

    /** Whether {@code command} ran and succeeded within 5 s. */
    private static boolean run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void mediaCalls(Path videoFile, org.rtc4j.rtp.Codec sent) {
        // The short calls take both codecs rtc4j encodes, so an answerer is warm for either; the long ones the
        // codec the call will carry (a file's frames when the offer sends a file).
        org.rtc4j.rtp.Codec other = sent == org.rtc4j.rtp.Codec.VP8 ? org.rtc4j.rtp.Codec.H264 : org.rtc4j.rtp.Codec.VP8;
        FrameReader pattern = new EncodedPattern(EncodedPattern.canEncode(sent) ? sent : org.rtc4j.rtp.Codec.H264);
        FrameReader otherPattern = new EncodedPattern(other);
        EncodedTone tone = new EncodedTone();
        for (int i = 0; i < WARMUP_MEDIA_CALLS - 1; i++) {
            mediaOnce(i % 2 == 0 ? otherPattern : pattern, tone, 10);
        }
        if (videoFile != null) {
            try (FrameReader file = new ContainerFrameReader(videoFile, MediaKind.VIDEO, 30)) {
                longCalls(file, tone, WARMUP_FILE_FRAMES);
            } catch (IOException e) {
                LoggerFactory.getLogger(PeerWarmup.class).debug("media warm-up failed", e);
            }
        } else {
            longCalls(pattern, tone, WARMUP_MEDIA_FRAMES);
        }
    }

    /**
     * Runs of the command itself, offerer against answerer in this JVM (echo scenario), their lines through pipes:
     * what only the command runs inside the measured set-up (a whole description as a JSON line written and read,
     * the roles' handlers, the lambdas and string concatenations first linked) runs here first, not in the
     * measurement. Coming after media calls, data-channel set-ups also leave the paths they share with media (the
     * loop's turn, the pump, the stack's input) compiled with a set-up in their profile (issue 23: the answerer's
     * longer media warm-up had made its data-channel set-up slower).
     */
    static void rehearse(int rounds) {
        for (int i = 0; i < rounds; i++) {
            try {
                rehearseOnce();
            } catch (Exception | Error e) {
                LoggerFactory.getLogger(PeerWarmup.class).debug("rehearsal failed", e);
            }
        }
    }

    private static void rehearseOnce() throws Exception {
        Pipe toAnswerer = Pipe.open();
        Pipe toOfferer = Pipe.open();
        try {
            PeerCommand answer = rehearsal("answer", toAnswerer.source(), toOfferer.sink());
            PeerCommand offer = rehearsal("offer", toOfferer.source(), toAnswerer.sink());
            Thread answering = Thread.ofPlatform().name("rtc4j-rehearsal").start(() -> {
                try {
                    new PeerAnswerer(answer, new PeerLines(answer.in, answer.out), 30_000).run();
                } catch (Exception e) {
                    LoggerFactory.getLogger(PeerWarmup.class).debug("rehearsal failed", e);
                } finally {
                    answer.out.close(); // an offerer still waiting for the answer line reads the end
                }
            });
            new PeerOfferer(offer, new PeerLines(offer.in, offer.out), 30_000, null).run();
            toAnswerer.sink().close(); // the answerer's stdin ends
            answering.join(30_000);
        } finally {
            for (java.nio.channels.Channel c : List.of(toAnswerer.source(), toAnswerer.sink(), toOfferer.source(),
                    toOfferer.sink())) {
                c.close();
            }
        }
    }

    /** A command of {@code role} on loopback with these ends for stdin and stdout, nothing on stderr. */
    private static PeerCommand rehearsal(String role, Pipe.SourceChannel in, Pipe.SinkChannel out) {
        PeerCommand c = new PeerCommand();
        c.role = role;
        c.rehearsal = true;
        c.env = Map.of();
        c.peerSettings = LOOPBACK;
        c.in = Channels.newInputStream(in);
        c.out = new PrintStream(Channels.newOutputStream(out), false, StandardCharsets.UTF_8);
        c.err = new PrintStream(OutputStream.nullOutputStream());
        return c;
    }

    /**
     * A long call, short ones, a long one again. The first long call has C2 compile the per-packet code from a
     * profile of a call in full flow; the code it makes traps on the branches only a call's first packets take
     * (a new SRTP stream, a stream's first sequence number, an empty jitter buffer) and is thrown away when the
     * next call starts, then recompiled after thousands of packets more: inside the measured minute, were the
     * measured call the next one. The short calls take those branches here, and the next long calls have the
     * code compiled again with every branch in its profile. Long calls repeat (a few at most) until one leaves
     * the JIT idle: C2 raises its thresholds with the length of its queue, so on a busy machine the per-frame
     * methods (a frame's delivery to the sender, the jitter buffer's release) reach them only after several.
     */
    private static void longCalls(FrameReader video, FrameReader tone, int frames) {
        mediaOnce(video, tone, frames);
        settleJit();
        for (int i = 0; i < WARMUP_CALL_STARTS; i++) {
            mediaOnce(video, tone, 10, true);
        }
        for (int i = 0; i < MAX_LONG_CALLS; i++) {
            long before = jitMillis();
            mediaOnce(video, tone, frames);
            settleJit();
            if (jitMillis() - before < JIT_IDLE_MILLIS) {
                return;
            }
        }
    }

    /** The JIT's total compilation time so far (ms), or 0 when the JVM does not say. */
    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /**
     * Waits (10 s at most) until the JIT has compiled what the warm-up queued: its compilation time stands still
     * for a second. Otherwise the last compilations of the hot path run inside the measured call. The total only
     * moves when a compilation ends, and one of the per-packet path's large methods takes C2 most of a second on
     * a busy machine: a shorter quiet span took one such compilation in progress for the end.
     */
    private static void settleJit() {
        var jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = jit.getTotalCompilationTime();
        try {
            while (System.nanoTime() < end) {
                Thread.sleep(1_000);
                long now = jit.getTotalCompilationTime();
                if (now == last) {
                    return;
                }
                last = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Description lines written and read by {@link #warmJsonLines}. */
    private static final int JSON_LINE_ROUNDS = Integer.getInteger("rtc4j.peer.warmupJsonLines", 3_000);

    /**
     * The JSON lines too, through {@link PeerLines} itself, with a description of a real one's size: the set-up
     * writes one line and reads one, and the rehearsals alone ran them a few dozen times, interpreted. A set-up's
     * timeline (issue 23) showed 0.4 to 0.55 ms from a description to its line written, 0.2 ms of it Jackson
     * turning the object into text; a few thousand rounds here (some 50 ms) leave that code compiled.
     */
    static void warmJsonLines(int rounds) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        sdp.append("a=group:BUNDLE 0\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n")
                .append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=candidate:3660235840 1 udp 2130690047 127.0.0.1 48172 typ host\r\n")
                .append("a=ice-ufrag:8hhY\r\na=ice-pwd:asd88fgpdd777uzjYhagZg\r\na=ice-options:trickle\r\n")
                .append("a=fingerprint:sha-256 ").append("7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:")
                .append("1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\na=setup:actpass\r\na=mid:0\r\n")
                .append("a=sctp-port:5000\r\na=max-message-size:262144\r\n");
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PeerLines out = new PeerLines(InputStream.nullInputStream(),
                new PrintStream(written, false, StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < rounds; i++) {
                written.reset();
                out.description(i % 2 == 0 ? "offer" : "answer", sdp.toString());
                PeerLines in = new PeerLines(new ByteArrayInputStream(written.toByteArray()),
                        new PrintStream(OutputStream.nullOutputStream()));
                var line = in.await(i % 2 == 0 ? "offer" : "answer");
                if (line == null || line.path("sdp").asText().length() != sdp.length()) {
                    return; // never: only the warm-up
                }
            }
        } catch (IOException e) {
            // only the warm-up
        }
    }

    private static void mediaOnce(FrameReader video, FrameReader tone, int frames) {
        mediaOnce(video, tone, frames, false);
    }

    /**
     * A call with the media scenario's shape: audio and video sent, reflected, {@code frames} video frames back.
     * Paced, the frames are played in real time by a {@link LoopPlayer}, as the scenario's offerer plays them: its
     * timer then is one of the loop's (a loop's timers are called through one site, whose compiled code is thrown
     * away when a kind of timer it never saw comes, with all it inlined); else each reflected video frame pushes
     * the next audio and video frames at once.
     */
    private static void mediaOnce(FrameReader video, FrameReader tone, int frames, boolean paced) {
        try (var pc1 = new RTCPeerConnection(org.rtc4j.RTCConfiguration.defaults(), LOOPBACK);
             var pc2 = new RTCPeerConnection(org.rtc4j.RTCConfiguration.defaults(), LOOPBACK)) {
            var init = org.rtc4j.RTCRtpTransceiverInit.defaults()
                    .withDirection(org.rtc4j.RTCRtpTransceiverDirection.SENDRECV);
            PushSource videoSource = new PushSource(MediaKind.VIDEO, "warmup");
            PushSource audioSource = new PushSource(MediaKind.AUDIO, "warmup");
            pc1.addTransceiver(videoSource.createTrack(), init);
            pc1.addTransceiver(audioSource.createTrack(), init);
            // Each reflected video frame pushes the next audio and video frames, on pc1's loop: the way the call's
            // LoopPlayer sends (pushed on the loop, out in the same pump), so the JIT compiles that path.
            AtomicInteger left = new AtomicInteger(frames);
            CompletableFuture<Void> done = new CompletableFuture<>();
            Runnable pushNext = () -> {
                try {
                    if (left.getAndDecrement() <= 0) {
                        done.complete(null);
                        return;
                    }
                    audioSource.push(((TimedEncodedFrame) next(tone)).frame());
                    videoSource.push(((TimedEncodedFrame) next(video)).frame());
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            };
            LoopPlayer player = paced ? new LoopPlayer(pc1).add(unclosed(tone), true, audioSource)
                    .add(unclosed(video), true, videoSource) : null;
            pc1.getTransceivers().get(0).receiver().track().addSink(MediaSink.encoded(f -> pushNext.run()));
            CompletableFuture<Void> up1 = new CompletableFuture<>();
            CompletableFuture<Void> up2 = new CompletableFuture<>();
            pc1.onConnectionStateChange(s -> {
                if (s == org.rtc4j.RTCPeerConnectionState.CONNECTED) {
                    up1.complete(null);
                }
            });
            pc2.onConnectionStateChange(s -> {
                if (s == org.rtc4j.RTCPeerConnectionState.CONNECTED) {
                    up2.complete(null);
                }
            });
            pc1.onIceCandidate(c -> pc2.addIceCandidate(c));
            pc2.onIceCandidate(c -> pc1.addIceCandidate(c));
            pc1.setLocalDescription().join();
            pc2.setRemoteDescription(pc1.localDescription()).join();
            PeerAnswerer.reflect(pc2);
            pc2.setLocalDescription().join();
            pc1.setRemoteDescription(pc2.localDescription()).join();
            CompletableFuture.allOf(up1, up2).get(30, TimeUnit.SECONDS);
            if (player != null) {
                try {
                    player.start();
                    Thread.sleep(frames * 1000L / 30);
                } finally {
                    player.close();
                }
                return;
            }
            pushNext.run();
            while (!done.isDone()) {
                int before = left.get();
                try {
                    done.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    if (left.get() == before) {
                        return; // a frame lost: only the warm-up
                    }
                }
            }
        } catch (Exception | Error e) {
            LoggerFactory.getLogger(PeerWarmup.class).debug("media warm-up failed", e);
        }
    }

    /** {@code reader} as a reader whose close leaves it open (a player closes its readers; the warm-up goes on). */
    private static FrameReader unclosed(FrameReader reader) {
        return new FrameReader() {
            @Override
            public MediaKind kind() {
                return reader.kind();
            }

            @Override
            public MediaFrame read() throws IOException {
                return reader.read();
            }

            @Override
            public void rewind() throws IOException {
                reader.rewind();
            }

            @Override
            public void close() {
                // the caller's
            }
        };
    }

    /** The reader's next frame, from its start again at its end. */
    private static MediaFrame next(FrameReader reader) throws IOException {
        MediaFrame f = reader.read();
        if (f == null) {
            reader.rewind();
            f = reader.read();
        }
        if (f == null) {
            throw new IOException("no frames");
        }
        return f;
    }

    static void connectOnce(long bulkBytes) {
        connectOnce(org.rtc4j.RTCConfiguration.defaults(), bulkBytes);
    }

    /** Connects two peers of this JVM with {@code configuration} (TURN servers, policy), sends, closes. */
    static void connectOnce(org.rtc4j.RTCConfiguration configuration, long bulkBytes) {
        try (var pc1 = new RTCPeerConnection(configuration, LOOPBACK);
             var pc2 = new RTCPeerConnection(configuration, LOOPBACK)) {
            RTCDataChannel ch = pc1.createDataChannel("warmup");
            CompletableFuture<Void> echoed = new CompletableFuture<>();
            // The bulk is counted, not echoed; the last, small message is echoed.
            pc2.onDataChannel(d -> d.onMessage(m -> {
                if (m.bytes().length < 65_536) {
                    d.send(m.bytes());
                }
            }));
            Semaphore low = new Semaphore(0);
            ch.bufferedAmountLowThreshold(1 << 20);
            ch.onBufferedAmountLow(low::release);
            ch.onMessage(m -> echoed.complete(null));
            ch.onOpen(() -> Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[65_536];
                try {
                    for (long sent = 0; sent < bulkBytes; sent += chunk.length) {
                        while (ch.bufferedAmount() > 4 << 20) {
                            low.tryAcquire(50, TimeUnit.MILLISECONDS);
                        }
                        ch.send(chunk);
                    }
                    ch.send(new byte[1000]);
                } catch (InterruptedException | RuntimeException e) {
                    echoed.completeExceptionally(e);
                }
            }));
            PeerPair.connect(pc1, pc2);
            echoed.get(60, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
            org.slf4j.LoggerFactory.getLogger(PeerWarmup.class).debug("warm-up failed", e);
        }
    }
}
