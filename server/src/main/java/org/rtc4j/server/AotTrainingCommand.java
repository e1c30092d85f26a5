package org.rtc4j.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.RTCIceTransportPolicy;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.turn.TurnServer;
import org.rtc4j.turn.TurnServerConfig;
import picocli.CommandLine.Command;

/**
 * The training run of the launcher's start-up cache (JDK 25's ahead-of-time cache, JEP 483/514/515; class
 * data sharing on JDK 21 to 23): the work the commands do, in one short JVM, so that the cache holds the
 * classes they load and link and the profiles of the methods they run hot. Two peers of this JVM connect
 * directly and through a TURN server of this JVM (the engines of {@code peer} and {@code turn-server}),
 * with a little bulk data each way. Hidden: the launcher runs it after a build.
 */
@Command(name = "aot-training", hidden = true,
        description = "The training run of the launcher's start-up cache (run by ./rtc4j after a build).")
final class AotTrainingCommand implements Callable<Integer> {

    private static final int DIRECT_CONNECTIONS = 4;
    private static final long BULK_BYTES = 4_000_000L;

    /** Command lines as people type them, parsed (not run) so that the cache holds picocli's work too. */
    private static final List<List<String>> COMMAND_LINES = List.of(
            List.of("peer", "offer", "--no-warmup", "--scenario", "echo"),
            List.of("peer", "answer", "--no-warmup"),
            List.of("turn-server", "--listen", "127.0.0.1:3478", "--realm", "test", "--user", "alice:secret",
                    "--allow-loopback-peers", "--max-bps", "0"),
            List.of("stun-server", "--listen", "127.0.0.1:3478"),
            List.of("send", "--help"),
            List.of("receive", "--help"),
            List.of("call", "--help"),
            List.of("demo", "--help"));

    @Override
    public Integer call() throws Exception {
        ProcessCpu.nanos();
        for (List<String> line : COMMAND_LINES) {
            Main.command(line.get(0)).parseArgs(line.subList(1, line.size()).toArray(String[]::new));
        }
        for (int i = 0; i < DIRECT_CONNECTIONS; i++) {
            PeerWarmup.connectOnce(i == DIRECT_CONNECTIONS - 1 ? BULK_BYTES : 0);
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        TurnServerConfig config = TurnServerConfig.builder().realm("training").user("training", "training")
                .allowLoopbackPeers(true).maxBytesPerSecond(0).relayAddress(loopback).build();
        try (EngineRunner turn = Listeners.start(List.of(new InetSocketAddress(loopback, 0)),
                () -> new TurnServer(config))) {
            TransportAddress udp = turn.localAddresses().stream()
                    .filter(a -> a.transport() == Transport.UDP).findFirst().orElseThrow();
            RTCConfiguration relayed = RTCConfiguration.defaults()
                    .withIceServers(List.of(RTCIceServer.withCredentials("training", "training",
                            "turn:" + loopback.getHostAddress() + ":" + udp.port() + "?transport=udp")))
                    .withIceTransportPolicy(RTCIceTransportPolicy.RELAY);
            PeerWarmup.connectOnce(relayed, 0);
            PeerWarmup.connectOnce(relayed, BULK_BYTES);
        }
        PeerWarmup.warmJsonLines();
        return 0;
    }
}
