package org.rtc4j.testkit.sim;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.TreeMap;
import org.rtc4j.core.Engine;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.TransportAddress;

/**
 * A small sans-IO protocol for driving the simulation in tests: a sender pushes {@code count} numbered
 * messages through a window and retransmits each after a timeout until acknowledged; the receiver
 * acknowledges every message and reports when it has them all.
 */
final class ArqEngine implements Engine<String> {

    static final Duration RTO = Duration.ofMillis(250);
    private static final int WINDOW = 16;
    private static final int SIZE = 400;

    private final TransportAddress local;
    private final TransportAddress peer;
    private final int count;
    private final boolean sender;
    private final ArrayDeque<Transmit> out = new ArrayDeque<>();
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private final TreeMap<Integer, Instant> unacked = new TreeMap<>();
    private final BitSet acked = new BitSet();
    private final BitSet received = new BitSet();
    private int nextToSend;
    private long retransmissions;
    private boolean done;

    private ArqEngine(TransportAddress local, TransportAddress peer, int count, boolean sender) {
        this.local = local;
        this.peer = peer;
        this.count = count;
        this.sender = sender;
    }

    static ArqEngine sender(TransportAddress local, TransportAddress peer, int count) {
        return new ArqEngine(local, peer, count, true);
    }

    static ArqEngine receiver(TransportAddress local, TransportAddress peer, int count) {
        return new ArqEngine(local, peer, count, false);
    }

    /** Starts sending (sender only). */
    void start(Instant now) {
        fill(now);
    }

    /** Sends one datagram the peer ignores, to open this side's NAT. */
    void punch(Instant now) {
        out.add(new Transmit(local, peer, ByteBuffer.allocate(5).put((byte) 'H').putInt(0).flip()));
    }

    long retransmissions() {
        return retransmissions;
    }

    boolean done() {
        return done;
    }

    @Override
    public void handleInput(Instant now, TransportAddress source, TransportAddress destination, ByteBuffer data) {
        if (data.remaining() < 5) {
            return;
        }
        int type = data.get();
        int seq = data.getInt();
        if (sender && type == 'A') {
            if (unacked.remove(seq) != null) {
                acked.set(seq);
                if (acked.cardinality() == count && !done) {
                    done = true;
                    events.add("all acknowledged");
                }
            }
            fill(now);
        } else if (!sender && type == 'D') {
            ByteBuffer ack = ByteBuffer.allocate(5).put((byte) 'A').putInt(seq).flip();
            out.add(new Transmit(local, peer, ack));
            if (!received.get(seq)) {
                received.set(seq);
                if (received.cardinality() == count) {
                    done = true;
                    events.add("received " + count);
                }
            }
        }
    }

    private void fill(Instant now) {
        while (nextToSend < count && unacked.size() < WINDOW) {
            send(nextToSend++, now);
        }
    }

    private void send(int seq, Instant now) {
        ByteBuffer data = ByteBuffer.allocate(SIZE).put((byte) 'D').putInt(seq);
        data.position(SIZE).flip();
        out.add(new Transmit(local, peer, data));
        unacked.put(seq, now.plus(RTO));
    }

    @Override
    public void handleTimeout(Instant now) {
        java.util.List<Integer> due = new java.util.ArrayList<>();
        unacked.forEach((seq, at) -> {
            if (!at.isAfter(now)) {
                due.add(seq);
            }
        });
        for (int seq : due) {
            retransmissions++;
            send(seq, now);
        }
    }

    @Override
    public Transmit pollTransmit() {
        return out.poll();
    }

    @Override
    public String pollEvent() {
        return events.poll();
    }

    @Override
    public Instant pollTimeout() {
        Instant next = null;
        for (Instant t : unacked.values()) {
            if (next == null || t.isBefore(next)) {
                next = t;
            }
        }
        return next;
    }
}
