package org.rtc4j.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import org.rtc4j.core.Clock;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.mdns.MdnsResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer connection's side of mDNS (RFC 6762): the ICE agent's {@code .local} names (browsers hide their host
 * addresses behind them) go to an {@link MdnsResolver}, its queries out of one socket per family on the
 * connection's {@link IoLoop} (opened on first use, ports other than 5353, so responders answer by unicast),
 * its answers back to the agent. Where no interface can carry multicast nothing is sent: such names time out,
 * and the peer is found as peer-reflexive.
 */
final class MdnsSockets {

    private static final Logger LOG = LoggerFactory.getLogger(MdnsSockets.class);
    private static final int BATCH = 64;
    /** The resolver does not care at which of its sockets an answer arrived. */
    private static final TransportAddress ANY_LOCAL = TransportAddress.parse(Transport.UDP, "0.0.0.0:0");

    private final IoLoop loop;
    private final Clock clock;
    private final MdnsResolver resolver;
    /** Answers are read here (RFC 6762 section 17: up to 9,000 bytes over UDP); made with the first socket. */
    private ByteBuffer in;
    private final Runnable onAnswer;
    private DatagramChannel ipv4;
    private DatagramChannel ipv6;
    private long sendErrors;
    private long skipped;
    private Boolean multicastInterface;

    /**
     * @param targets where queries go: the mDNS groups, a responder's unicast address in tests, or none (no
     *     name is resolved)
     * @param onAnswer run on the loop after an answer was read: the owner then calls {@link #flush}
     */
    MdnsSockets(IoLoop loop, Clock clock, List<TransportAddress> targets, Runnable onAnswer) {
        this.loop = loop;
        this.clock = clock;
        this.onAnswer = onAnswer;
        this.resolver = new MdnsResolver(targets, MdnsResolver.DEFAULT_TIMEOUT, RandomGenerator.getDefault());
    }

    Instant pollTimeout() {
        return resolver.pollTimeout();
    }

    void handleTimeout(Instant now) {
        resolver.handleTimeout(now);
    }

    /** Passes the agent's {@code .local} names to the resolver, sends its queries, and hands back answers. */
    boolean flush(IceAgent agent) {
        boolean progress = false;
        Instant now = null;
        for (String name; (name = agent.pollMdnsQuery()) != null; ) {
            progress = true;
            now = now == null ? clock.now() : now;
            resolver.resolve(now, name);
        }
        for (Transmit t; (t = resolver.pollTransmit()) != null; ) {
            progress = true;
            send(t);
        }
        for (MdnsResolver.Result r; (r = resolver.pollEvent()) != null; ) {
            progress = true;
            now = now == null ? clock.now() : now;
            if (r.address() != null) {
                agent.mdnsResolved(now, r.name(), r.address());
            } else {
                LOG.debug("no mDNS answer for {}: left to peer-reflexive discovery", r.name());
            }
        }
        return progress;
    }

    private void send(Transmit t) {
        if (t.destination().ip().isMulticastAddress()) {
            if (multicastInterface == null) {
                multicastInterface = hasMulticastInterface();
            }
            if (!multicastInterface) {
                // No interface could carry it (a loopback-only namespace): nothing is sent, the name times
                // out and the peer is found as peer-reflexive.
                skipped++;
                return;
            }
        }
        try {
            DatagramChannel channel = t.destination().isIpv6() ? ipv6 : ipv4;
            if (channel == null) {
                channel = DatagramChannel.open(t.destination().isIpv6()
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                try {
                    // RFC 6762 section 11: IP TTL (hop limit) 255.
                    channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
                    channel.bind(null);
                    channel.configureBlocking(false);
                    DatagramChannel c = channel;
                    loop.register(c, key -> read(c));
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                if (t.destination().isIpv6()) {
                    ipv6 = channel;
                } else {
                    ipv4 = channel;
                }
            }
            channel.send(t.payload(), t.destination().socketAddress());
        } catch (IOException | RuntimeException e) {
            // No multicast route (a loopback-only or locked-down network): the name times out, the peer is
            // found as peer-reflexive; never an error for the connection.
            sendErrors++;
        }
    }

    /** Reads answers, a batch at most; the owner's hook runs after each. */
    private void read(DatagramChannel channel) {
        if (in == null) {
            in = ByteBuffer.allocate(9000);
        }
        for (int i = 0; i < BATCH; i++) {
            in.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(in);
            } catch (IOException e) {
                continue;
            }
            if (from == null) {
                return;
            }
            in.flip();
            resolver.handleInput(clock.now(), TransportAddress.of(Transport.UDP, from), ANY_LOCAL, in);
            onAnswer.run();
        }
    }

    /** The resolver's counters (queries sent, answered, timed out, malformed answers). */
    MdnsResolver.Stats stats() {
        return resolver.stats();
    }

    /** Queries that could not be sent (no multicast route, for example). */
    long sendErrors() {
        return sendErrors;
    }

    /** Queries not sent because no interface that is up, not loopback, supports multicast. */
    long skipped() {
        return skipped;
    }

    /** Whether an interface that is up and not loopback supports multicast: a network where mDNS may work. */
    static boolean hasMulticastInterface() {
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp() && !nif.isLoopback() && nif.supportsMulticast()) {
                    return true;
                }
            }
        } catch (SocketException e) {
            return false;
        }
        return false;
    }

    void close() {
        for (DatagramChannel c : new DatagramChannel[] {ipv4, ipv6}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
