package org.rtc4j.server;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.RTCIceTransportPolicy;
import org.rtc4j.RTCSettings;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.container.ContainerFrameReader;
import org.rtc4j.rtp.Codec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./rtc4j peer offer|answer}: a scriptable data-channel peer (an iperf and troubleshooter for WebRTC),
 * signaled by one JSON line each way on stdin/stdout. The protocol is that of issue 9: offer line, answer
 * line, scenario ({@code echo}, {@code throughput}, {@code unordered}), and on the offering side one result
 * line; the {@code media} scenario of issue 17 sends audio and video that the answerer reflects. Only those
 * JSON lines go to stdout; logs go to stderr.
 */
@Command(name = "peer", mixinStandardHelpOptions = true,
        description = "A data-channel and media peer signaled over stdin/stdout: ./rtc4j peer offer | ./rtc4j peer answer "
                + "(connect the two with pipes, or any other WebRTC stack that speaks the same JSON lines).")
public final class PeerCommand implements Callable<Integer> {

    /** The scenarios and their channel labels (part of the protocol). */
    enum Scenario {
        echo, throughput, unordered, media
    }

    /** The video codecs of the media scenario. */
    enum VideoCodec {
        VP8(Codec.VP8), VP9(Codec.VP9), H264(Codec.H264), AV1(Codec.AV1);

        final Codec codec;

        VideoCodec(Codec codec) {
            this.codec = codec;
        }
    }

    @Parameters(index = "0", description = "offer or answer")
    String role;

    @Option(names = "--scenario", description = "echo (default), throughput, unordered or media (offerer only)")
    Scenario scenario = Scenario.echo;

    @Option(names = "--seconds", description = "media: seconds of audio and video to send (default 5)")
    Double seconds;

    @Option(names = "--video-codec", description = "media: the video codec to prefer: VP8, VP9, H264 or AV1 "
            + "(VP9 and AV1 only with a --video-file of that codec)")
    VideoCodec videoCodec;

    @Option(names = "--idle-seconds", description = "media: after sending, stay connected this long without media "
            + "and report the process CPU of both spans (details.media_cpu_s, details.idle_cpu_s), for benchmarks")
    double idleSeconds;

    @Option(names = "--video-file", description = "media: send this file's video frames unchanged "
            + "(IVF, H.264 Annex B, WebM or Matroska) instead of the encoded test pattern")
    Path videoFile;

    @Option(names = "--bytes", description = "throughput: bytes to send (default 100,000,000)")
    long bytes = 100_000_000L;

    @Option(names = "--chunk", description = "throughput: bytes per message (default 65,536)")
    int chunk = 65_536;

    @Option(names = "--stun", description = "a STUN server URL, e.g. stun:127.0.0.1:3478")
    List<String> stun = new ArrayList<>();

    @Option(names = "--turn", description = "a TURN server URL, e.g. turn:127.0.0.1:3478?transport=udp (env PEER_TURN_URL)")
    String turn;

    @Option(names = "--turn-user", description = "TURN username (env PEER_TURN_USER)")
    String turnUser;

    @Option(names = "--turn-pass", description = "TURN password (env PEER_TURN_PASS)")
    String turnPass;

    @Option(names = "--relay", description = "relayed candidates only (env PEER_RELAY_ONLY=1)")
    Boolean relay;

    @Option(names = "--timeout", description = "seconds: offerer the whole run (300), answerer its lifetime (900) (env PEER_TIMEOUT)")
    Double timeout;

    @Option(names = "--no-warmup",
            description = "skip connecting two peers inside the JVM at start-up (before the measured part)")
    boolean noWarmup;

    InputStream in = System.in;
    PrintStream out = System.out;
    /** Where a failed run says why, in one line (the offerer's result line on stdout says it too). */
    PrintStream err = System.err;
    Map<String, String> env = System.getenv();
    /** The connection's settings: {@link #settings()}, loopback alone in the warm-up's rehearsals. */
    RTCSettings peerSettings = settings();
    /** A rehearsal inside the warm-up ({@link PeerWarmup#rehearse}): what it would log goes to debug. */
    boolean rehearsal;

    @Override
    public Integer call() throws Exception {
        boolean offer = switch (role) {
            case "offer" -> true;
            case "answer" -> false;
            default -> throw usage("the role is offer or answer, not " + role);
        };
        if (chunk < 1 || bytes < 0) {
            throw usage("--chunk must be positive and --bytes not negative");
        }
        PeerMediaOffer media = offer && scenario == Scenario.media ? mediaScenario() : null;
        if (media == null && (seconds != null || videoCodec != null || videoFile != null || idleSeconds != 0)) {
            throw usage("--seconds, --video-codec, --video-file and --idle-seconds belong to the offerer's "
                    + "--scenario media");
        }
        double lifetime = timeout != null ? timeout
                : env.containsKey("PEER_TIMEOUT") ? Double.parseDouble(env.get("PEER_TIMEOUT")) : offer ? 300 : 900;
        PeerLines lines = new PeerLines(in, out);
        if (!noWarmup) {
            // An answerer may be asked to reflect media, so it ends its warm-up with data-channel runs of this
            // command after the media calls; the media offerer ends with the media calls, its own video file's.
            PeerWarmup.run(media != null || !offer, media != null ? videoFile : null, media != null,
                    media != null ? media.firstCodec() : Codec.H264);
        }
        org.slf4j.LoggerFactory.getLogger(PeerCommand.class).info("peer {} ready", role);
        if (offer) {
            return new PeerOfferer(this, lines, (long) (lifetime * 1000), media).run();
        }
        return new PeerAnswerer(this, lines, (long) (lifetime * 1000)).run();
    }

    /** Checks the media flags and opens the video file; usage errors for what cannot be sent. */
    private PeerMediaOffer mediaScenario() {
        if (seconds != null && !(seconds > 0 && seconds <= 86_400) || !(idleSeconds >= 0 && idleSeconds <= 86_400)) {
            throw usage("--seconds must be above 0 and --idle-seconds not below, both at most a day");
        }
        if (videoFile == null) {
            if (videoCodec != null && !EncodedPattern.canEncode(videoCodec.codec)) {
                throw usage("rtc4j cannot encode " + videoCodec + ": pass a --video-file of " + videoCodec
                        + " frames to send it");
            }
            return new PeerMediaOffer(videoCodec, null, null);
        }
        ContainerFrameReader reader;
        try {
            reader = new ContainerFrameReader(videoFile, MediaKind.VIDEO, 30);
        } catch (java.io.IOException e) {
            throw usage("--video-file " + videoFile + ": " + e.getMessage());
        }
        Codec codec = reader.track().codec();
        if (videoCodec != null && videoCodec.codec != codec) {
            closeQuietly(reader);
            throw usage("--video-file holds " + codec.encodingName() + ", not " + videoCodec);
        }
        if (java.util.Arrays.stream(VideoCodec.values()).noneMatch(v -> v.codec == codec)) {
            closeQuietly(reader);
            throw usage("--video-file holds " + codec.encodingName() + ", which the media scenario does not send");
        }
        return new PeerMediaOffer(null, reader, codec);
    }

    /** The media scenario's length: --seconds, 5 by default. */
    double mediaSeconds() {
        return seconds != null ? seconds : 5;
    }

    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), message);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (java.io.IOException ignored) {
            // only a file we read
        }
    }

    /** The ICE servers and policy from the flags, else from the environment (a flag wins). */
    RTCConfiguration configuration() {
        List<RTCIceServer> servers = new ArrayList<>();
        for (String s : stun) {
            servers.add(RTCIceServer.of(s));
        }
        String turnUrl = turn != null ? turn : env.get("PEER_TURN_URL");
        if (turnUrl != null && !turnUrl.isBlank()) {
            String user = turnUser != null ? turnUser : env.getOrDefault("PEER_TURN_USER", "");
            String pass = turnPass != null ? turnPass : env.getOrDefault("PEER_TURN_PASS", "");
            servers.add(RTCIceServer.withCredentials(user, pass, turnUrl));
        }
        boolean relayOnly = relay != null ? relay : "1".equals(env.get("PEER_RELAY_ONLY"));
        return RTCConfiguration.defaults().withIceServers(servers)
                .withIceTransportPolicy(relayOnly ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL);
    }

    /** Host candidates on every interface that is up, loopback included. */
    static RTCSettings settings() {
        return RTCSettings.defaults().withLoopbackCandidates(true);
    }
}
