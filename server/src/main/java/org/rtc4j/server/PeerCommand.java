package org.rtc4j.server;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.RTCIceTransportPolicy;
import org.rtc4j.RTCSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./rtc4j peer offer|answer}: a scriptable data-channel peer (an iperf and troubleshooter for WebRTC),
 * signaled by one JSON line each way on stdin/stdout. The protocol is that of issue 9: offer line, answer
 * line, scenario ({@code echo}, {@code throughput}, {@code unordered}), and on the offering side one result
 * line. Only those JSON lines go to stdout; logs go to stderr.
 */
@Command(name = "peer", mixinStandardHelpOptions = true,
        description = "A data-channel peer signaled over stdin/stdout: ./rtc4j peer offer | ./rtc4j peer answer "
                + "(connect the two with pipes, or any other WebRTC stack that speaks the same JSON lines).")
public final class PeerCommand implements Callable<Integer> {

    /** The scenarios and their channel labels (part of the protocol). */
    enum Scenario {
        echo, throughput, unordered
    }

    @Parameters(index = "0", description = "offer or answer")
    String role;

    @Option(names = "--scenario", description = "echo (default), throughput or unordered (offerer only)")
    Scenario scenario = Scenario.echo;

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
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        boolean offer = switch (role) {
            case "offer" -> true;
            case "answer" -> false;
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "the role is offer or answer, not " + role);
        };
        if (chunk < 1 || bytes < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--chunk must be positive and --bytes not negative");
        }
        double seconds = timeout != null ? timeout
                : env.containsKey("PEER_TIMEOUT") ? Double.parseDouble(env.get("PEER_TIMEOUT")) : offer ? 300 : 900;
        PeerLines lines = new PeerLines(in, out);
        if (!noWarmup) {
            PeerWarmup.run();
        }
        org.slf4j.LoggerFactory.getLogger(PeerCommand.class).info("peer {} ready", role);
        if (offer) {
            return new PeerOfferer(this, lines, (long) (seconds * 1000)).run();
        }
        return new PeerAnswerer(this, lines, (long) (seconds * 1000)).run();
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
