package org.rtc4j.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.Callable;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.RTCIceTransportPolicy;
import org.rtc4j.core.TransportAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The training run of the launcher's start-up caches (JDK 25's ahead-of-time cache, JEP 483/514/515; class
 * data sharing on JDK 21 to 23): the work the commands do, in one short JVM, so that the cache holds the
 * classes they load and link and the profiles of the methods they run hot. The commands' usual lines are
 * parsed; {@code turn-server} runs as a command in this JVM; two peers of this JVM connect directly and then
 * through it, with a little bulk data each way. With {@code --servers}, the cache of the STUN and TURN servers
 * alone: an AOT cache's classes are all loaded when the JVM starts, and the peer connection's would double a
 * server's; there a TURN client relays through the server instead ({@link TurnTraining}). Hidden: the launcher
 * runs it after a build.
 */
@Command(name = "aot-training", hidden = true,
        description = "The training run of the launcher's start-up cache (run by ./rtc4j after a build).")
final class AotTrainingCommand implements Callable<Integer> {

    private static final int DIRECT_CONNECTIONS = 4;
    private static final long BULK_BYTES = 4_000_000L;
    /** Messages each way per allocation: enough for the relay path's profile, as in uclient's -n 500 -m 20. */
    private static final int RELAYED_MESSAGES = 5_000;
    private static final String USER = "training";

    /** Command lines as people type them, parsed (not run) so that the cache holds picocli's work too. */
    private static final List<List<String>> COMMAND_LINES = List.of(
            List.of("peer", "offer", "--no-warmup", "--scenario", "echo"),
            List.of("peer", "answer", "--no-warmup"),
            List.of("send", "--help"),
            List.of("receive", "--help"),
            List.of("call", "--help"),
            List.of("demo", "--help"));

    @Option(names = "--servers", description = "Train the servers' cache (stun-server, turn-server).")
    boolean servers;

    /**
     * The servers' training as {@link Main} runs it, without picocli: every class a training loads goes into the
     * cache and is loaded by every server at its start, and picocli's model, reflection and converters are some
     * 500 classes the servers never use (their command line is read without it).
     */
    static int trainServers() throws Exception {
        AotTrainingCommand c = new AotTrainingCommand();
        c.servers = true;
        return c.call();
    }

    @Override
    public Integer call() throws Exception {
        if (!servers) {
            ProcessCpu.nanos(); // for the peer's CPU figures; not in the servers' cache
            Main.command("stun-server").parseArgs("--listen", "127.0.0.1:3478");
            for (List<String> line : COMMAND_LINES) {
                Main.command(line.get(0)).parseArgs(line.subList(1, line.size()).toArray(String[]::new));
            }
            for (int i = 0; i < DIRECT_CONNECTIONS; i++) {
                PeerWarmup.connectOnce(i == DIRECT_CONNECTIONS - 1 ? BULK_BYTES : 0);
            }
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int port = freeUdpPort(loopback);
        Thread server = startTurnServer(loopback, port);
        try {
            if (servers) {
                TurnTraining.relay(TransportAddress.udp(loopback, port), USER, USER, RELAYED_MESSAGES);
            } else {
                RTCConfiguration relayed = RTCConfiguration.defaults()
                        .withIceServers(List.of(RTCIceServer.withCredentials(USER, USER,
                                "turn:" + loopback.getHostAddress() + ":" + port + "?transport=udp")))
                        .withIceTransportPolicy(RTCIceTransportPolicy.RELAY);
                PeerWarmup.connectOnce(relayed, 0);
                PeerWarmup.connectOnce(relayed, BULK_BYTES);
            }
        } finally {
            server.interrupt(); // ends the command as Ctrl-C would, its sockets closed
            server.join();
        }
        if (!servers) {
            PeerWarmup.warmJsonLines(1);
        }
        return 0;
    }

    /**
     * Runs {@code turn-server} as the command line does (options read without picocli, start, its lambdas) until
     * interrupted.
     */
    private static Thread startTurnServer(InetAddress ip, int port) throws Exception {
        // A monitor rather than a CompletableFuture, whose fork-join classes the servers' cache would hold too.
        Object lock = new Object();
        String[] outcome = new String[1];
        PrintWriter err = new PrintWriter(new Writer() {
            @Override
            public void write(char[] text, int offset, int length) {
                if (new String(text, offset, length).contains("listening on")) {
                    settle(lock, outcome, "listening");
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }, true);
        Thread server = Thread.ofPlatform().name("training-turn-server").start(() -> {
            Integer status = TurnServerCommand.runFast(new String[] {"--listen", ip.getHostAddress() + ":" + port,
                "--realm", "training", "--user", USER + ":" + USER, "--allow-loopback-peers", "--max-bps", "0"}, err);
            settle(lock, outcome, "turn-server ended with status " + status);
        });
        long deadline = System.nanoTime() + 30_000_000_000L;
        synchronized (lock) {
            while (outcome[0] == null && System.nanoTime() < deadline) {
                lock.wait(1000);
            }
            if (!"listening".equals(outcome[0])) {
                throw new IllegalStateException(outcome[0] == null ? "turn-server did not start" : outcome[0]);
            }
        }
        return server;
    }

    /** The first outcome of the server's start wins. */
    private static void settle(Object lock, String[] outcome, String what) {
        synchronized (lock) {
            if (outcome[0] == null) {
                outcome[0] = what;
                lock.notifyAll();
            }
        }
    }

    private static int freeUdpPort(InetAddress ip) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(ip, 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
