package org.rtc4j.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.rtc4j.core.Clock;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/** The {@code --listen} addresses of the server commands: parsing, and UDP plus TCP on each. */
final class Listeners {

    private Listeners() {
    }

    /** The addresses, or an IllegalArgumentException that says which is wrong. */
    static List<InetSocketAddress> parse(List<String> texts, String fallback) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String text : texts.isEmpty() ? List.of(fallback) : texts) {
            try {
                addresses.add(TransportAddress.parse(Transport.UDP, text).socketAddress());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--listen: " + e.getMessage(), e);
            }
        }
        return addresses;
    }

    /** Binds UDP and TCP on every address (port 0: one free port for both) and starts the engine. */
    static EngineRunner start(List<InetSocketAddress> addresses, Supplier<Engine<?>> engine)
            throws IOException {
        return start(addresses, List.of(), null, TcpLimits.defaults(), engine);
    }

    /** As {@link #start(List, Supplier)}, with TLS listeners on {@code tlsAddresses} and these TCP limits. */
    static EngineRunner start(List<InetSocketAddress> addresses, List<InetSocketAddress> tlsAddresses, SSLContext tls,
            TcpLimits limits, Supplier<Engine<?>> engine) throws IOException {
        List<TransportAddress> tlsBind = tlsAddresses.stream()
                .map(a -> TransportAddress.tcp(a.getAddress(), a.getPort())).toList();
        for (int attempt = 1; ; attempt++) {
            List<TransportAddress> bind = new ArrayList<>();
            for (InetSocketAddress address : addresses) {
                int port = address.getPort() != 0 ? address.getPort() : freeUdpPort(address);
                bind.add(TransportAddress.udp(address.getAddress(), port));
                bind.add(TransportAddress.tcp(address.getAddress(), port));
            }
            try {
                return EngineRunner.start(engine.get(), bind, tlsBind, tls, limits, Clock.system());
            } catch (IOException e) {
                // A port picked for port 0 may be taken for TCP, or in the meantime: pick again.
                boolean bindFailure = e instanceof BindException || e.getCause() instanceof BindException;
                if (attempt >= 5 || !bindFailure || addresses.stream().allMatch(a -> a.getPort() != 0)) {
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

    static String describe(EngineRunner runner) {
        List<String> all = new ArrayList<>(runner.localAddresses().stream().map(TransportAddress::toString).toList());
        runner.tlsAddresses().forEach(a -> all.add(a.toString().replaceFirst("/tcp$", "/tls")));
        return String.join(" ", all);
    }
}
