package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceGatheringState;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCRtpCodec;
import org.rtc4j.RTCRtpReceiver;
import org.rtc4j.RTCRtpTransceiver;
import org.rtc4j.RTCSessionDescription;
import org.rtc4j.media.MediaKind;
import picocli.CommandLine;

/** {@code ./rtc4j peer offer} against {@code ./rtc4j peer answer}, connected by pipes as a shell would. */
@Timeout(120)
class PeerCommandTest {

    @Test
    @Timeout(300) // the one run with the whole warm-up (connections, a transfer, media calls, rehearsals): slow on a busy machine
    void echo() throws Exception {
        JsonNode r = run("--scenario", "echo");
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.path("details").path("matched").asInt()).isEqualTo(200);
        assertThat(r.path("MBps").asDouble()).isPositive();
    }

    @Test
    void throughput() throws Exception {
        JsonNode r = run("--scenario", "throughput", "--bytes", "5000000", "--chunk", "65536", "--no-warmup");
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.path("details").path("received_bytes").asLong()).isEqualTo(5_000_000L);
        assertThat(r.path("details").path("received_messages").asLong()).isEqualTo(77L);
    }

    @Test
    void unordered() throws Exception {
        JsonNode r = run("--scenario", "unordered", "--no-warmup");
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.path("details").path("unique").asLong()).isGreaterThanOrEqualTo(950);
        assertThat(r.path("MBps").isNull()).isTrue();
    }

    /**
     * The media scenario (issue 17): the Opus tone and the pattern, H.264 from the Java encoder by default,
     * reflected by the answerer; at least 95 % of the video frames sent after the first key frame come back,
     * every one whole.
     */
    @Test
    void mediaReflectsTheH264PatternAndTone() throws Exception {
        JsonNode r = run("--scenario", "media", "--seconds", "3", "--no-warmup");
        assertMediaCameBack(r, "H264");
    }

    @Test
    void mediaSendsVp8FromTheJavaEncoder() throws Exception {
        JsonNode r = run("--scenario", "media", "--seconds", "2", "--video-codec", "VP8", "--no-warmup");
        assertMediaCameBack(r, "VP8");
    }

    /**
     * An answerer that takes no H.264 (as a browser built without it; here our API, its video transceiver's
     * codec preferences without H.264, VP9 and AV1 ahead of VP8): the offerer sends the pattern in VP8 instead.
     */
    @Test
    void mediaSendsVp8WhenTheAnswerTakesNoH264() throws Exception {
        JsonNode r = run(new String[] {"--scenario", "media", "--seconds", "2", "--no-warmup"},
                PeerCommandTest::answerWithoutH264);
        assertMediaCameBack(r, "VP8");
    }

    /** Answers the offer line with every transceiver reflecting what it receives, its video without H.264. */
    private static int answerWithoutH264(java.io.InputStream in, PrintStream out) throws Exception {
        PeerLines lines = new PeerLines(in, out);
        try (var pc = new RTCPeerConnection(RTCConfiguration.defaults(), PeerCommand.settings())) {
            CompletableFuture<Void> gathered = new CompletableFuture<>();
            pc.onIceGatheringStateChange(s -> {
                if (s == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            });
            pc.setRemoteDescription(RTCSessionDescription.offer(lines.await("offer").path("sdp").asText())).join();
            PeerAnswerer.reflect(pc);
            List<String> order = List.of("video/VP9", "video/AV1", "video/VP8");
            List<RTCRtpCodec> noH264 = RTCRtpReceiver.getCapabilities("video").codecs().stream()
                    .filter(c -> !c.mimeType().equalsIgnoreCase("video/H264"))
                    .sorted(Comparator.comparingInt(c -> order.contains(c.mimeType()) ? order.indexOf(c.mimeType())
                            : order.size()))
                    .toList();
            RTCRtpTransceiver video = pc.getTransceivers().stream()
                    .filter(t -> t.receiver().track().kind() == MediaKind.VIDEO).findFirst().orElseThrow();
            video.setCodecPreferences(noH264);
            pc.setLocalDescription().join();
            gathered.get(30, TimeUnit.SECONDS);
            String answer = pc.localDescription().sdp();
            assertThat(answer).doesNotContainIgnoringCase("H264").contains("VP8");
            lines.description("answer", answer);
            lines.drain(); // until the offerer is done
        }
        return 0;
    }

    /** A VP9 IVF file from ffmpeg (libvpx): its frames pass through both peers unchanged. */
    @Test
    void mediaPassesAVp9FileThrough() throws Exception {
        Path ivf = Files.createTempDirectory("peer-media").resolve("clip.ivf");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=30:duration=2", "-c:v", "libvpx-vp9", "-deadline", "realtime",
                "-b:v", "300k", "-g", "60", ivf.toString()).redirectErrorStream(true).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(new String(ffmpeg.getInputStream().readAllBytes())).isZero();
        JsonNode r = run("--scenario", "media", "--seconds", "2", "--video-file", ivf.toString(), "--no-warmup");
        assertMediaCameBack(r, "VP9");
    }

    private static void assertMediaCameBack(JsonNode r, String videoCodec) {
        JsonNode d = r.path("details");
        assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.path("MBps").isNull()).isTrue();
        assertThat(d.path("audio_codec").asText()).isEqualTo("opus");
        assertThat(d.path("video_codec").asText()).isEqualTo(videoCodec);
        assertThat(d.path("video_frames_sent").asLong()).isGreaterThanOrEqualTo(5); // cold encoders on a loaded machine
        assertThat(d.path("video_frames_received").asLong()).as(r.toString())
                .isGreaterThanOrEqualTo((long) Math.ceil(0.95 * d.path("video_frames_sent").asLong()));
        assertThat(d.path("audio_packets_sent").asLong()).isGreaterThan(50);
        assertThat(d.path("audio_packets_received").asLong()).as(r.toString())
                .isGreaterThanOrEqualTo((long) Math.ceil(0.95 * d.path("audio_packets_sent").asLong()));
        assertThat(d.path("video_frames_damaged").asLong()).isZero();
    }

    /** What cannot be sent is a usage error (status 2) before anything starts. */
    @Test
    void mediaUsageErrors() throws Exception {
        Path notVideo = Files.createTempFile("peer-media", ".ivf");
        Files.writeString(notVideo, "not a video file");
        for (String[] args : new String[][] {
            {"offer", "--scenario", "media", "--video-codec", "VP9"},
            {"offer", "--scenario", "media", "--video-codec", "AV1"},
            {"offer", "--scenario", "media", "--video-codec", "THEORA"},
            {"offer", "--scenario", "media", "--video-file", notVideo.toString()},
            {"offer", "--scenario", "media", "--seconds", "0"},
            {"offer", "--scenario", "echo", "--seconds", "3"},
            {"answer", "--video-codec", "VP8"},
        }) {
            PeerCommand c = new PeerCommand();
            c.in = new java.io.ByteArrayInputStream(new byte[0]);
            var out = new ByteArrayOutputStream();
            c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
            var err = new java.io.StringWriter();
            CommandLine cl = new CommandLine(c).setErr(new java.io.PrintWriter(err));
            assertThat(cl.execute(args)).as(String.join(" ", args) + ": " + err).isEqualTo(2);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    /** Both sides relay-only through a real TURN server (coturn): the flags reach the ICE agent. */
    @Test
    void echoThroughCoturnRelayOnly() throws Exception {
        org.rtc4j.testkit.LoopbackNamespace.require();
        int port;
        try (var probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process coturn = new ProcessBuilder("turnserver", "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                "--listening-port=" + port, "--lt-cred-mech", "--user=alice:secret", "--realm=test", "--fingerprint",
                "--no-tls", "--no-dtls", "--allow-loopback-peers", "--no-cli", "--log-file=stdout", "--simple-log")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500); // coturn opens its listeners
            String[] turn = {"--turn", "turn:127.0.0.1:" + port + "?transport=udp", "--turn-user", "alice",
                "--turn-pass", "secret", "--relay", "--no-warmup"};
            String[] offerArgs = new String[turn.length + 2];
            offerArgs[0] = "--scenario";
            offerArgs[1] = "echo";
            System.arraycopy(turn, 0, offerArgs, 2, turn.length);
            JsonNode r = run(offerArgs, turn);
            assertThat(r.path("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.path("details").path("selected_pair").asText()).startsWith("relay udp ");
        } finally {
            coturn.destroy();
            coturn.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** An offer that does not parse: one line on stderr that says why, status 1, nothing on stdout. */
    @Test
    void anUnparseableOfferIsOneLineAndAFailure() {
        PeerCommand answer = new PeerCommand();
        answer.in = new java.io.ByteArrayInputStream("{\"type\":\"offer\",\"sdp\":\"garbage\"}\n"
                .getBytes(StandardCharsets.UTF_8));
        var out = new ByteArrayOutputStream();
        answer.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        var err = new ByteArrayOutputStream();
        answer.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        var picocliErr = new java.io.StringWriter();
        assertThat(new CommandLine(answer).setErr(new java.io.PrintWriter(picocliErr)).execute("answer", "--no-warmup"))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(picocliErr.toString()).isEmpty(); // no stack trace
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
                .startsWith("rtc4j peer answer: cannot answer the offer: ").contains("SDP line 1");
    }

    /** No offer line before end of stdin: nothing answered, so one line that says so and status 1. */
    @Test
    void answererFailsAtEndOfStdinWithoutAnOffer() {
        PeerCommand answer = new PeerCommand();
        answer.in = new java.io.ByteArrayInputStream("{\"type\":\"other\"}\nnot json\n".getBytes(StandardCharsets.UTF_8));
        var out = new ByteArrayOutputStream();
        answer.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        var err = new ByteArrayOutputStream();
        answer.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(new CommandLine(answer).execute("answer", "--no-warmup")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement().asString()
                .startsWith("rtc4j peer answer: stdin ended before an offer line");
    }

    /**
     * An answer whose fingerprint was tampered with: the DTLS handshake fails, and the offerer ends then with
     * ok:false and the reason, not after its 300-second timeout.
     */
    @Test
    @Timeout(60)
    void aFailedHandshakeEndsTheRunAtOnce() throws Exception {
        Call c = call(new String[] {"--scenario", "echo", "--no-warmup", "--timeout", "300"},
                peerAnswer("--no-warmup"),
                line -> line.contains("a=fingerprint:sha-256 ") ? flipFirstDigit(line) : line);
        JsonNode result = PeerLines.JSON.readTree(c.lines()[c.lines().length - 1]);
        assertThat(c.code()).isEqualTo(1);
        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("details").path("error").asText()).as(result.toString())
                .doesNotContain("timed out").containsIgnoringCase("fingerprint");
        assertThat(c.offerErr()).isEqualTo("rtc4j peer offer: " + result.path("details").path("error").asText() + "\n");
    }

    /** The line with its first fingerprint's first hex digit changed. */
    private static String flipFirstDigit(String line) {
        int i = line.indexOf("a=fingerprint:sha-256 ") + "a=fingerprint:sha-256 ".length();
        char c = line.charAt(i);
        return line.substring(0, i) + (c == '0' ? '1' : '0') + line.substring(i + 1);
    }

    private static JsonNode run(String... offerArgs) throws Exception {
        return run(offerArgs, "--no-warmup");
    }

    private static JsonNode run(String[] offerArgs, String... answerArgs) throws Exception {
        return run(offerArgs, peerAnswer(answerArgs));
    }

    /** Runs both roles and checks the offerer's two lines; returns the result line. */
    private static JsonNode run(String[] offerArgs, Answerer answerer) throws Exception {
        Call c = call(offerArgs, answerer, UnaryOperator.identity());
        assertThat(c.answerCode()).isZero();
        assertThat(c.lines()).hasSize(2);
        JsonNode offerLine = PeerLines.JSON.readTree(c.lines()[0]);
        assertThat(offerLine.path("type").asText()).isEqualTo("offer");
        assertThat(offerLine.path("sdp").asText()).contains("\r\n").contains("a=candidate:").contains("a=end-of-candidates");
        JsonNode result = PeerLines.JSON.readTree(c.lines()[1]);
        assertThat(result.path("type").asText()).isEqualTo("result");
        assertThat(result.path("setup_ms").asDouble()).isPositive();
        assertThat(result.path("details").path("selected_pair").asText()).matches("(host|relay) udp .*");
        assertThat(c.code()).isEqualTo(result.path("ok").asBoolean() ? 0 : 1);
        System.out.println(result);
        return result;
    }

    /** The exit statuses of both, and what the offerer printed, line by line. */
    private record Call(int code, int answerCode, String[] lines, String offerErr) {
    }

    /** The answering side: reads the offerer's lines from {@code in}, writes its own to {@code out}; its status. */
    private interface Answerer {
        int run(java.io.InputStream in, PrintStream out) throws Exception;
    }

    /** {@code ./rtc4j peer answer} with these arguments. */
    private static Answerer peerAnswer(String... args) {
        return (in, out) -> {
            PeerCommand answer = new PeerCommand();
            answer.in = in;
            answer.out = out;
            answer.env = Map.of();
            String[] a = new String[args.length + 1];
            a[0] = "answer";
            System.arraycopy(args, 0, a, 1, args.length);
            return new CommandLine(answer).execute(a);
        };
    }

    /**
     * Runs both roles in this JVM, stdout of each piped into stdin of the other as a shell would, the
     * answerer's lines through {@code onTheWay} (a man in the middle, for tests that tamper).
     */
    private static Call call(String[] offerArgs, Answerer answerer, UnaryOperator<String> onTheWay) throws Exception {
        PipedOutputStream offerOut = new PipedOutputStream();
        PipedInputStream answerIn = new PipedInputStream(offerOut, 1 << 20);
        PipedOutputStream answerOut = new PipedOutputStream();
        PipedInputStream fromAnswerer = new PipedInputStream(answerOut, 1 << 20);
        PipedOutputStream toOfferer = new PipedOutputStream();
        PipedInputStream offerIn = new PipedInputStream(toOfferer, 1 << 20);
        Thread middle = new Thread(() -> {
            try (var r = new BufferedReader(new InputStreamReader(fromAnswerer, StandardCharsets.UTF_8));
                 var w = new PrintStream(toOfferer, true, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    w.println(onTheWay.apply(line));
                }
            } catch (IOException e) {
                // a pipe closed: the run is over
            }
        }, "answer-to-offer");
        middle.setDaemon(true);
        middle.start();
        // The offerer's stdout goes to the answerer and to this test (the result line).
        var tee = new TeeLines(offerOut);
        PeerCommand offer = new PeerCommand();
        offer.in = offerIn;
        offer.out = new PrintStream(tee, true, StandardCharsets.UTF_8);
        offer.env = Map.of();
        var offerErr = new ByteArrayOutputStream();
        offer.err = new PrintStream(offerErr, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> answered = CompletableFuture.supplyAsync(() -> {
            try {
                return answerer.run(answerIn, new PrintStream(answerOut, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        String[] args = new String[offerArgs.length + 1];
        args[0] = "offer";
        System.arraycopy(offerArgs, 0, args, 1, offerArgs.length);
        int code = new CommandLine(offer).execute(args);
        offerOut.close(); // end of the answerer's stdin
        return new Call(code, answered.get(30, TimeUnit.SECONDS), tee.text().split("\n"),
                offerErr.toString(StandardCharsets.UTF_8));
    }

    /** Copies everything to the pipe and keeps it for the test. */
    private static final class TeeLines extends java.io.OutputStream {
        private final java.io.OutputStream pipe;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        TeeLines(java.io.OutputStream pipe) {
            this.pipe = pipe;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            copy.write(b);
            pipe.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            copy.write(b, off, len);
            pipe.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            pipe.flush();
        }

        synchronized String text() {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }
}
