package org.rtc4j.testkit.sim;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * An address space: the public network, or the inside of a NAT. Addresses are unique within a realm only,
 * so two NATs may both hide a 192.168.1.2. Nodes of a realm reach each other over links (made with the
 * realm's default config when a test did not make them); anything else goes to the realm's gateway.
 */
final class Realm {

    final String name;
    final Nat gateway;
    LinkConfig defaultLink = LinkConfig.ideal();
    private final Map<InetAddress, Node> owners = new HashMap<>();

    Realm(String name, Nat gateway) {
        this.name = name;
        this.gateway = gateway;
    }

    Node owner(InetAddress ip) {
        return owners.get(ip);
    }

    void claim(InetAddress ip, Node node) {
        Node existing = owners.putIfAbsent(ip, node);
        if (existing != null && existing != node) {
            throw new IllegalArgumentException(ip.getHostAddress() + " is already used by " + existing.nodeName()
                    + " in " + name);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
