package org.rtc4j.server.signaling;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A {@link Cluster} passing every call to a real one; tests override the call they hold back. */
abstract class ForwardingCluster implements Cluster {
    final RedisCluster cluster;

    ForwardingCluster(RedisCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Map<String, String> admit(String room, String clientId, String address, SignalingSettings limits)
            throws Refused, Unavailable {
        return cluster.admit(room, clientId, address, limits);
    }

    @Override public String serverId() { return cluster.serverId(); }
    @Override public void remove(String room, String... ids) { cluster.remove(room, ids); }
    @Override public void send(String server, String message) { cluster.send(server, message); }
    @Override public void resync(String room) { cluster.resync(room); }
    @Override public CompletableFuture<String> addClient(String address, SignalingSettings limits) {
        return cluster.addClient(address, limits);
    }
    @Override public String refusal(CompletableFuture<String> added, SignalingSettings limits) {
        return cluster.refusal(added, limits);
    }
    @Override public void removeClient(String address) { cluster.removeClient(address); }
    @Override public void rewriteClients(int total, Map<String, Integer> byAddress) {
        cluster.rewriteClients(total, byAddress);
    }
    @Override public void flush() { cluster.flush(); }
}
