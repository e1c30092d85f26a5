package org.rtc4j.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.RTCIceTransportPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The training run of the launcher's start-up cache (JDK 25's ahead-of-time cache, JEP 483/514/515; class
 * data sharing on JDK 21 to 23): the work the commands do, in one short JVM, so that the cache holds the
 * classes they load and link and the profiles of the methods they run hot. The commands' usual lines are
 * parsed; two peers of this JVM connect directly and then through {@code turn-server} run as a command in
 * this JVM, with a little bulk data each way. Hidden: the launcher runs it after a build.
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
        // The TURN server as `./rtc4j turn-server` runs it (options, start, its lambdas), stopped by an interrupt.
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port = freeUdpPort(loopback);
        CompletableFuture<Void> listening = new CompletableFuture<>();
        CommandLine turnServer = Main.command("turn-server");
        turnServer.setErr(new PrintWriter(new Writer() {
            @Override
            public void write(char[] text, int offset, int length) {
                if (new String(text, offset, length).contains("listening on")) {
                    listening.complete(null);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }, true));
        Thread server = Thread.ofPlatform().name("training-turn-server").start(() -> {
            int status = turnServer.execute("--listen", loopback.getHostAddress() + ":" + port, "--realm", "training",
                    "--user", "training:training", "--allow-loopback-peers", "--max-bps", "0");
            listening.completeExceptionally(new IllegalStateException("turn-server ended with status " + status));
        });
        try {
            listening.get(30, TimeUnit.SECONDS);
            RTCConfiguration relayed = RTCConfiguration.defaults()
                    .withIceServers(List.of(RTCIceServer.withCredentials("training", "training",
                            "turn:" + loopback.getHostAddress() + ":" + port + "?transport=udp")))
                    .withIceTransportPolicy(RTCIceTransportPolicy.RELAY);
            PeerWarmup.connectOnce(relayed, 0);
            PeerWarmup.connectOnce(relayed, BULK_BYTES);
        } finally {
            server.interrupt();
            server.join();
        }
        PeerWarmup.warmJsonLines();
        return 0;
    }

    private static int freeUdpPort(InetAddress ip) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(ip, 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
