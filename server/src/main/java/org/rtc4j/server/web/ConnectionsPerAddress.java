package org.rtc4j.server.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.SelectorManager;

/**
 * At most {@code limit} open TCP connections (HTTP, WebSocket) from one IP address: one address cannot hold
 * every file descriptor of the process and starve everyone else. A connection over the limit is closed as it
 * is accepted, before anything is read from it.
 */
final class ConnectionsPerAddress implements SelectorManager.AcceptListener {
    private final int limit;
    private final Map<String, Set<SelectableChannel>> open = new HashMap<>();
    private final LongAdder refused = new LongAdder();

    ConnectionsPerAddress(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("connections per address must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Counts the connection here, as it is accepted, not once registered ({@code onAccepted}): Jetty's acceptor
     * accepts a burst before its selector registers them, and a count taken then let a burst from one address
     * past the limit.
     */
    @Override
    public void onAccepting(SelectableChannel channel) {
        String address = address(channel);
        if (address == null) {
            return;
        }
        synchronized (open) {
            Set<SelectableChannel> mine = open.computeIfAbsent(address, a -> new HashSet<>());
            if (mine.size() < limit) {
                mine.add(channel);
                return;
            }
        }
        refused.increment();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we refuse: nothing to do if it fails
        }
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        onClosed(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        synchronized (open) {
            open.entrySet().removeIf(e -> e.getValue().remove(channel) && e.getValue().isEmpty());
        }
    }

    /** Connections closed as they were accepted because their address held its limit. */
    long refused() {
        return refused.sum();
    }

    private static String address(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel s && s.getRemoteAddress() instanceof InetSocketAddress a
                    && a.getAddress() != null ? a.getAddress().getHostAddress() : null;
        } catch (IOException e) {
            return null; // already closed
        }
    }
}
