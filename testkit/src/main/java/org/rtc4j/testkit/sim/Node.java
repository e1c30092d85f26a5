package org.rtc4j.testkit.sim;

/** Something links end at: a host or a NAT. Nodes compare by identity. */
abstract sealed class Node permits SimHost, Nat {

    final SimNetwork net;
    final int id;

    Node(SimNetwork net) {
        this.net = net;
        this.id = net.nextNodeId();
    }

    abstract String nodeName();

    /** A datagram arrived over {@code via}, or from the node itself when {@code via} is null. */
    abstract void receive(SimLink via, Packet packet);
}
