package org.rtc4j.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback that loses packets: two peers that would talk directly talk through it, and each
 * datagram, either way, is dropped with a fixed probability from a seeded random sequence (one per direction),
 * so a lossy call can be played between two stacks we do not both control (rtc4j and Chromium).
 *
 * <p>The "left" peer sends first: its address is learnt from its datagrams to {@link #leftFacing()}, which go on
 * from {@link #rightFacing()} to the right peer's address given at the start. Datagrams from the right peer to
 * {@link #rightFacing()} go back from {@link #leftFacing()} to the left peer. To the left peer the relay is the
 * right peer and the other way round: each side's ICE candidates are rewritten with {@link #rewriteCandidates}
 * before the other side sees them, so their connectivity checks, DTLS and media all cross the relay.
 *
 * <p>Two daemon threads, one per direction; {@link #close()} ends them. Loopback only.
 */
public final class LossyUdpRelay implements AutoCloseable {

    private static final int MAX_DATAGRAM = 65_535;
    private static final int BUFFER = 4 << 20;

    private final DatagramSocket left;
    private final DatagramSocket right;
    private final InetSocketAddress rightPeer;
    private final double loss;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile InetSocketAddress leftPeer;

    private LossyUdpRelay(InetSocketAddress rightPeer, double loss, long seed) throws IOException {
        if (!(loss >= 0 && loss < 1) || !rightPeer.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("loss in [0, 1) to a loopback peer: " + loss + ", " + rightPeer);
        }
        this.rightPeer = rightPeer;
        this.loss = loss;
        this.left = open();
        this.right = open();
        threads.add(Thread.ofPlatform().daemon().name("lossy-relay-left").start(() -> run(left, true, seed)));
        threads.add(Thread.ofPlatform().daemon().name("lossy-relay-right").start(() -> run(right, false, seed + 1)));
    }

    /** A relay to {@code rightPeer} dropping each datagram with probability {@code loss}, seeded. */
    public static LossyUdpRelay start(InetSocketAddress rightPeer, double loss, long seed) throws IOException {
        return new LossyUdpRelay(rightPeer, loss, seed);
    }

    /** Where the left peer sends (it stands for the right peer). */
    public InetSocketAddress leftFacing() {
        return (InetSocketAddress) left.getLocalSocketAddress();
    }

    /** Where the right peer sends (it stands for the left peer). */
    public InetSocketAddress rightFacing() {
        return (InetSocketAddress) right.getLocalSocketAddress();
    }

    public long forwarded() {
        return forwarded.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private static DatagramSocket open() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setReceiveBufferSize(BUFFER);
        s.setSendBufferSize(BUFFER);
        return s;
    }

    private void run(DatagramSocket in, boolean fromLeft, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DatagramPacket p = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
        while (!in.isClosed()) {
            try {
                p.setLength(MAX_DATAGRAM);
                in.receive(p);
                InetSocketAddress to;
                if (fromLeft) {
                    leftPeer = (InetSocketAddress) p.getSocketAddress();
                    to = rightPeer;
                } else if (p.getSocketAddress().equals(rightPeer)) {
                    to = leftPeer;
                } else {
                    continue;   // a stranger to the right side
                }
                if (to == null || random.nextDouble() < loss) {
                    dropped.incrementAndGet();
                    continue;
                }
                (fromLeft ? right : left).send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), to));
                forwarded.incrementAndGet();
            } catch (IOException e) {
                if (in.isClosed()) {
                    return;
                }
                dropped.incrementAndGet();   // a send refused (ICMP from a closed port): as lost
            }
        }
    }

    /**
     * The SDP with its ICE candidates replaced by one: the first UDP candidate on an IPv4 address, now at
     * {@code relay} (the relay's address facing the other peer); every other candidate is left out.
     *
     * @throws IllegalArgumentException when the SDP has no UDP IPv4 candidate
     */
    public static String rewriteCandidates(String sdp, InetSocketAddress relay) {
        StringBuilder out = new StringBuilder();
        boolean kept = false;
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:")) {
                String[] f = line.split(" ");
                if (kept || f.length < 8 || !f[2].equalsIgnoreCase("udp") || !f[4].matches("[0-9.]+")) {
                    continue;
                }
                f[4] = relay.getAddress().getHostAddress();
                f[5] = Integer.toString(relay.getPort());
                line = String.join(" ", f);
                kept = true;
            }
            out.append(line).append("\r\n");
        }
        if (!kept) {
            throw new IllegalArgumentException("no UDP IPv4 candidate in the SDP");
        }
        return out.toString();
    }

    /** The address of the SDP's first UDP candidate on an IPv4 address. */
    public static InetSocketAddress firstUdpCandidate(String sdp) {
        for (String line : sdp.split("\r\n")) {
            String[] f = line.split(" ");
            if (line.startsWith("a=candidate:") && f.length >= 8 && f[2].equalsIgnoreCase("udp")
                    && f[4].matches("[0-9.]+")) {
                return new InetSocketAddress(f[4], Integer.parseInt(f[5]));
            }
        }
        throw new IllegalArgumentException("no UDP IPv4 candidate in the SDP");
    }

    @Override
    public void close() {
        left.close();
        right.close();
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
