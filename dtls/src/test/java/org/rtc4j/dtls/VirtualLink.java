package org.rtc4j.dtls;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Two loop-handshake DTLS connections over an in-memory link on a virtual clock: datagrams take a fixed delay,
 * a seeded share is lost, and the clock jumps to the next timer when nothing is in flight. Whole handshakes
 * with losses run in microseconds and the same way every time.
 */
final class VirtualLink {

    private record InFlight(Instant at, boolean toB, byte[] bytes) {
    }

    final DtlsConnection a;
    final DtlsConnection b;
    final List<DtlsEvent> eventsA = new ArrayList<>();
    final List<DtlsEvent> eventsB = new ArrayList<>();
    final List<byte[]> dataA = new ArrayList<>();
    final List<byte[]> dataB = new ArrayList<>();
    private final List<InFlight> inFlight = new ArrayList<>();
    private final Random random;
    private final Duration delay;
    double loss;
    /** Rewrites (or drops, by returning null) each datagram from a to b, and from b to a; identity by default. */
    UnaryOperator<byte[]> tamperAb = UnaryOperator.identity();
    UnaryOperator<byte[]> tamperBa = UnaryOperator.identity();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    int sent;
    int lost;

    VirtualLink(DtlsConnection a, DtlsConnection b, double loss, long seed, Duration delay) {
        this.a = a;
        this.b = b;
        this.loss = loss;
        this.random = new Random(seed);
        this.delay = delay;
    }

    static DtlsSettings settings() {
        return DtlsSettings.defaults().withLoopHandshake(true);
    }

    /** Runs until both sides leave CONNECTING or {@code limit} of virtual time passes. */
    void runUntilSettled(Duration limit) {
        Instant end = now.plus(limit);
        while (now.isBefore(end) && !(settled(a) && settled(b))) {
            step(end);
        }
        drain();
    }

    /** Runs the link for {@code span} of virtual time. */
    void run(Duration span) {
        Instant end = now.plus(span);
        while (now.isBefore(end)) {
            step(end);
        }
        drain();
    }

    private static boolean settled(DtlsConnection c) {
        return c.state() != DtlsState.CONNECTING && c.state() != DtlsState.NEW;
    }

    private void step(Instant end) {
        drain();
        Instant next = end;
        for (InFlight f : inFlight) {
            next = min(next, f.at());
        }
        next = min(next, a.pollTimeout());
        next = min(next, b.pollTimeout());
        now = next.isAfter(now) ? next : now;
        for (InFlight f : List.copyOf(inFlight)) {
            if (!f.at().isAfter(now)) {
                inFlight.remove(f);
                DtlsConnection to = f.toB() ? b : a;
                LossyLink.collect(to.receive(now, ByteBuffer.wrap(f.bytes())), to, f.toB() ? dataB : dataA);
            }
        }
        timers(a);
        timers(b);
    }

    private void timers(DtlsConnection c) {
        Instant t = c.pollTimeout();
        if (t != null && !t.isAfter(now)) {
            c.handleTimeout(now);
        }
    }

    private static Instant min(Instant x, Instant y) {
        return y != null && y.isBefore(x) ? y : x;
    }

    /** Sends what both sides queued and collects their events and data. */
    void drain() {
        boolean moved = true;
        while (moved) {
            moved = transmit(a, true) | transmit(b, false);
            for (DtlsEvent e; (e = a.pollEvent()) != null; ) {
                eventsA.add(e);
                moved = true;
            }
            for (DtlsEvent e; (e = b.pollEvent()) != null; ) {
                eventsB.add(e);
                moved = true;
            }
            LossyLink.collect(a.pollData(), a, dataA);
            LossyLink.collect(b.pollData(), b, dataB);
        }
    }

    private boolean transmit(DtlsConnection from, boolean toB) {
        boolean any = false;
        for (ByteBuffer d; (d = from.pollTransmit()) != null; ) {
            any = true;
            sent++;
            byte[] bytes = new byte[d.remaining()];
            d.get(bytes);
            if (random.nextDouble() < loss) {
                lost++;
                continue;
            }
            bytes = (toB ? tamperAb : tamperBa).apply(bytes);
            if (bytes == null) {
                continue;
            }
            inFlight.add(new InFlight(now.plus(delay), toB, bytes));
        }
        return any;
    }

    /** Delivers {@code bytes} to b as if a sent it, now. */
    void inject(byte[] bytes) {
        inFlight.add(new InFlight(now, true, bytes));
    }
}
