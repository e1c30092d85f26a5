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
 * test thread in real time (Bouncy Castle times its resends with the system clock).
 */
final class LossyLink {

    final DtlsConnection a;
    final DtlsConnection b;
    final List<DtlsEvent> eventsA = new ArrayList<>();
    final List<DtlsEvent> eventsB = new ArrayList<>();
    private final Random random;
    private double loss;
    private final Semaphore wake = new Semaphore(0);
    int delivered;
    int lost;

    LossyLink(DtlsConnection a, DtlsConnection b, double loss, long seed) {
        this.a = a;
        this.b = b;
        this.loss = loss;
        this.random = new Random(seed);
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
        boolean moved;
        do {
            moved = move(a, b) | move(b, a);
        } while (moved);
        drainEvents();
    }

    private boolean move(DtlsConnection from, DtlsConnection to) {
        boolean any = false;
        ByteBuffer d;
        while ((d = from.pollTransmit()) != null) {
            any = true;
            if (random.nextDouble() < loss) {
                lost++;
                continue;
            }
            delivered++;
            to.handleInput(Instant.now(), d);
        }
        return any;
    }

    void drainEvents() {
        DtlsEvent e;
        while ((e = a.pollEvent()) != null) {
            eventsA.add(e);
        }
        while ((e = b.pollEvent()) != null) {
            eventsB.add(e);
        }
    }

    static <T extends DtlsEvent> T first(List<DtlsEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }
}
