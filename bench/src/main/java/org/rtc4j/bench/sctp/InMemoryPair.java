package org.rtc4j.bench.sctp;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Random;
import org.rtc4j.sctp.SctpAssociation;
import org.rtc4j.sctp.SctpEvent;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SctpState;

/**
 * Two associations wired back to back in one thread: every packet one emits is handed to the other at
 * once, through one reused buffer, on a virtual clock that jumps to the next timeout when both are idle.
 *
 * <p>Not a test pump (that is testkit's {@code EnginePump}, which {@link LinkGoodput} uses): this measures the
 * allocation-free path the peer connection uses ({@code pollPacket} into one buffer, {@code handlePacket}
 * from it), which the engine contract's {@code Transmit} path, with a copy per packet, cannot show.
 */
public final class InMemoryPair {

    public final SctpAssociation a;
    public final SctpAssociation b;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    private long now = 1_000_000_000L;
    public long delivered;
    public long deliveredBytes;

    public InMemoryPair(SctpSettings settings) {
        a = new SctpAssociation(settings.withRandom(new Random(1)));
        b = new SctpAssociation(settings.withRandom(new Random(2)));
        a.connect(instant());
        while (a.state() != SctpState.ESTABLISHED || b.state() != SctpState.ESTABLISHED) {
            if (!step()) {
                throw new IllegalStateException("handshake stalled");
            }
        }
    }

    private Instant instant() {
        return Instant.ofEpochSecond(now / 1_000_000_000L, now % 1_000_000_000L);
    }

    /** Moves everything that can move now; returns false when nothing moved and no timer is pending. */
    public boolean step() {
        boolean moved = false;
        Instant t = instant();
        for (int i = 0; i < 64; i++) {
            boolean any = false;
            while (a.pollPacket(t, buf.clear()) > 0) {
                b.handlePacket(t, buf.flip());
                any = true;
            }
            while (b.pollPacket(t, buf.clear()) > 0) {
                a.handlePacket(t, buf.flip());
                any = true;
            }
            SctpEvent e;
            while ((e = b.pollEvent()) != null) {
                if (e instanceof SctpEvent.Message m) {
                    delivered++;
                    deliveredBytes += m.data().length;
                }
                any = true;
            }
            while (a.pollEvent() != null) {
                any = true;
            }
            if (!any) {
                break;
            }
            moved = true;
        }
        if (moved) {
            return true;
        }
        Instant ta = a.pollTimeout();
        Instant tb = b.pollTimeout();
        Instant next = ta == null ? tb : tb == null ? ta : ta.isBefore(tb) ? ta : tb;
        if (next == null) {
            return false;
        }
        now = Math.max(now, next.getEpochSecond() * 1_000_000_000L + next.getNano());
        t = instant();
        a.handleTimeout(t);
        b.handleTimeout(t);
        return true;
    }
}
