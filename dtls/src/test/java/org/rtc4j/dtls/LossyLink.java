package org.rtc4j.dtls;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Two DTLS connections joined by an in-memory link that drops a share of datagrams (seeded), pumped on the
 * test thread in real time (Bouncy Castle times its resends with the system clock; the loop handshake's timers
 * run from {@link #pumpOnce}).
 */
final class LossyLink {

    final DtlsConnection a;
    final DtlsConnection b;
    final List<DtlsEvent> eventsA = new ArrayList<>();
    final List<DtlsEvent> eventsB = new ArrayList<>();
    /** Application data each side received, copied out of the views. */
    final List<byte[]> dataA = new ArrayList<>();
    final List<byte[]> dataB = new ArrayList<>();
    /** One loss stream per direction, as on a real path. */
    private final Random randomAb;
    private final Random randomBa;
    private double loss;
    private final Semaphore wake = new Semaphore(0);
    int delivered;
    int lost;
    /** One line per datagram: time, direction, lost or not, and its records, for failure messages. */
    final StringBuilder transcript = new StringBuilder();
    private final long start = System.nanoTime();

    LossyLink(DtlsConnection a, DtlsConnection b, double loss, long seed) {
        this.a = a;
        this.b = b;
        this.loss = loss;
        this.randomAb = new Random(seed);
        this.randomBa = new Random(seed * 7919 + 1);
        a.onWakeup(wake::release);
        b.onWakeup(wake::release);
    }

    /** Changes the share of datagrams lost from now on. */
    void setLoss(double loss) {
        this.loss = loss;
    }

    /** Moves datagrams and collects events until both sides are out of CONNECTING, or the deadline. */
    void pumpUntilSettled(Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            pumpOnce();
            if (settled(a) && settled(b)) {
                pumpOnce();
                return;
            }
            wake.tryAcquire(5, TimeUnit.MILLISECONDS);
        }
    }

    private static boolean settled(DtlsConnection c) {
        return c.state() != DtlsState.CONNECTING && c.state() != DtlsState.NEW;
    }

    /** One pass: everything queued in both directions, then the events. */
    void pumpOnce() {
        timers(a);
        timers(b);
        boolean moved;
        do {
            moved = move(a, b) | move(b, a);
        } while (moved);
        drainEvents();
    }

    /** Runs a connection's timers when due, in real time (the loop handshake's resends and deadline). */
    static void timers(DtlsConnection c) {
        Instant due = c.pollTimeout();
        if (due != null && !Instant.now().isBefore(due)) {
            c.handleTimeout(Instant.now());
        }
    }

    private boolean move(DtlsConnection from, DtlsConnection to) {
        boolean any = false;
        ByteBuffer d;
        while ((d = from.pollTransmit()) != null) {
            any = true;
            boolean drop = (from == a ? randomAb : randomBa).nextDouble() < loss;
            describe(from == a ? "a->b" : "b->a", drop, d);
            if (drop) {
                lost++;
                continue;
            }
            delivered++;
            collect(to.receive(Instant.now(), d), to, to == a ? dataA : dataB);
        }
        return any;
    }

    private void describe(String direction, boolean drop, ByteBuffer d) {
        transcript.append(String.format("%6d ms %s %s", (System.nanoTime() - start) / 1_000_000, direction,
                drop ? "LOST" : "    "));
        int p = d.position();
        while (p + 13 <= d.limit()) {
            int type = d.get(p) & 0xFF;
            int epoch = d.getShort(p + 3) & 0xFFFF;
            transcript.append(' ').append(type).append("/e").append(epoch);
            if (type == 22 && epoch == 0 && p + 14 <= d.limit()) {
                transcript.append("/hs").append(d.get(p + 13) & 0xFF);
            }
            p += 13 + (d.getShort(p + 11) & 0xFFFF);
        }
        transcript.append('\n');
    }

    void drainEvents() {
        DtlsEvent e;
        while ((e = a.pollEvent()) != null) {
            eventsA.add(e);
        }
        while ((e = b.pollEvent()) != null) {
            eventsB.add(e);
        }
        collect(a.pollData(), a, dataA);
        collect(b.pollData(), b, dataB);
    }

    /** Copies {@code first} and every further record {@code c} has decrypted into {@code into}. */
    static void collect(ByteBuffer first, DtlsConnection c, List<byte[]> into) {
        for (ByteBuffer p = first; p != null; p = c.pollData()) {
            byte[] copy = new byte[p.remaining()];
            p.get(copy);
            into.add(copy);
        }
    }

    static <T extends DtlsEvent> T first(List<DtlsEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }
}
