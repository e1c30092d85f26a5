package org.rtc4j.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.turn.EngineRunner;
import org.rtc4j.turn.StunServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stun-server", mixinStandardHelpOptions = true,
        description = "Run a STUN server (RFC 8489 Binding) over UDP and TCP until stopped.")
final class StunServerCommand implements Callable<Integer> {

    static final String DEFAULT_LISTEN = "0.0.0.0:3478";

    @Option(names = "--listen", paramLabel = "IP:PORT",
            description = {"Answer on this address over UDP and TCP; repeatable. IPv6 as [::1]:3478.",
                "Port 0 picks a free port (the same one for UDP and TCP). Default: " + DEFAULT_LISTEN + "."})
    List<String> listen = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String text : listen.isEmpty() ? List.of(DEFAULT_LISTEN) : listen) {
            try {
                addresses.add(TransportAddress.parse(Transport.UDP, text).socketAddress());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
            }
        }
        EngineRunner runner;
        try {
            runner = start(addresses);
        } catch (IOException e) {
            err.println("rtc4j stun-server: " + e.getMessage());
            err.flush();
            return 1;
        }
        try (runner) {
            err.println("rtc4j stun-server: listening on " + String.join(" ",
                    runner.localAddresses().stream().map(TransportAddress::toString).toList()));
            err.flush();
            runner.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped by the caller
        }
        return 0;
    }

    /** Binds UDP and TCP on every address and starts the server. */
    static EngineRunner start(List<InetSocketAddress> addresses) throws IOException {
        for (int attempt = 1; ; attempt++) {
            List<TransportAddress> bind = new ArrayList<>();
            for (InetSocketAddress address : addresses) {
                int port = address.getPort() != 0 ? address.getPort() : freeUdpPort(address);
                bind.add(TransportAddress.udp(address.getAddress(), port));
                bind.add(TransportAddress.tcp(address.getAddress(), port));
            }
            try {
                return EngineRunner.start(new StunServer(), bind);
            } catch (BindException e) {
                // A port picked for port 0 may be taken for TCP, or in the meantime: pick again.
                if (attempt >= 5 || addresses.stream().allMatch(a -> a.getPort() != 0)) {
                    throw e;
                }
            } catch (IOException e) {
                if (attempt >= 5 || !(e.getCause() instanceof BindException)
                        || addresses.stream().allMatch(a -> a.getPort() != 0)) {
                    throw e;
                }
            }
        }
    }

    private static int freeUdpPort(InetSocketAddress address) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(address.getAddress(), 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
