package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.ParseException;
import org.rtc4j.sctp.internal.Chunk;
import org.rtc4j.sctp.internal.ChunkCodec;
import org.rtc4j.sctp.internal.ReConfigParam;

/**
 * The peer's requests that we never send ourselves (RFC 6525): Incoming SSN Reset (5.2.3) and SSN/TSN Reset
 * (5.2.4) are performed and answered with the results the RFC gives, never simply refused. The requests are
 * written by hand into side 1 ({@code b}) as side 0 would send them; usrsctp sends them for real in
 * {@code UsrsctpInteropTest}.
 */
class ReconfigRequestsTest {

    static SctpSettings s(long seed) {
        return SctpSettings.defaults().withRandom(new Random(seed)).withInterleaving(false);
    }

    /** Everything b sends right now, parsed. */
    static List<Chunk> drain(SctpPair p) {
        List<Chunk> out = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (p.b.pollPacket(p.now(), buf.clear()) > 0) {
            try {
                out.addAll(ChunkCodec.parsePacket(buf.flip()).chunks());
            } catch (ParseException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    static List<ReConfigParam> params(List<Chunk> chunks) {
        return chunks.stream().filter(c -> c instanceof Chunk.ReConfig).flatMap(c -> ((Chunk.ReConfig) c)
                .params().stream()).toList();
    }

    static void inject(SctpPair p, int tag, ReConfigParam request) {
        p.b.handlePacket(p.now(), ByteBuffer.wrap(LifecycleTest.packet(tag, new Chunk.ReConfig(List.of(request)))));
    }

    @Test
    void incomingResetIsPerformedByResettingOurOutgoingStreams() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        p.b.send(3, 51, "before".getBytes(), SendOptions.RELIABLE);
        p.run(500);
        int[] tt = LifecycleTest.tagAndTsn(p); // a's first DATA: its TSN is a's initial TSN, its first request
        int seq = tt[1];
        inject(p, tt[0], new ReConfigParam.IncomingReset(seq, new int[] {3}));
        List<ReConfigParam> answer = params(drain(p));
        // performed, and our own Outgoing SSN Reset Request for stream 3 names it as the request it answers
        assertThat(answer).contains(new ReConfigParam.Response(seq, ReConfigParam.Response.SUCCESS_PERFORMED,
                false, 0, 0));
        assertThat(answer).anySatisfy(r -> {
            assertThat(r).isInstanceOf(ReConfigParam.OutgoingReset.class);
            assertThat(((ReConfigParam.OutgoingReset) r).responseSeq()).isEqualTo(seq);
            assertThat(((ReConfigParam.OutgoingReset) r).streams()).containsExactly(3);
        });
        // a retransmission of the request gets the same answer, an out-of-sequence one an error
        inject(p, tt[0], new ReConfigParam.IncomingReset(seq, new int[] {3}));
        assertThat(params(drain(p))).containsExactly(new ReConfigParam.Response(seq,
                ReConfigParam.Response.SUCCESS_PERFORMED, false, 0, 0));
        inject(p, tt[0], new ReConfigParam.IncomingReset(seq + 5, new int[] {3}));
        assertThat(params(drain(p))).containsExactly(new ReConfigParam.Response(seq + 5,
                ReConfigParam.Response.ERROR_BAD_SEQUENCE, false, 0, 0));
        // b's outgoing reset request is lost above (drained by hand); its timer sends it again to a
        p.run(3000);
        assertThat(p.events(0, SctpEvent.IncomingStreamsReset.class)).singleElement()
                .satisfies(e -> assertThat(e.streams()).containsExactly(3));
        assertThat(p.events(1, SctpEvent.OutgoingStreamsReset.class)).singleElement()
                .satisfies(e -> assertThat(e.streams()).containsExactly(3));
    }

    @Test
    void incomingResetOfAStreamWeDoNotHaveIsDenied() {
        SctpPair p = SctpPair.connected(s(1), s(2).withStreams(16, 16), 3);
        int[] tt = LifecycleTest.tagAndTsn(p);
        inject(p, tt[0], new ReConfigParam.IncomingReset(tt[1], new int[] {2, 40}));
        assertThat(params(drain(p))).containsExactly(new ReConfigParam.Response(tt[1],
                ReConfigParam.Response.DENIED, false, 0, 0));
    }

    @Test
    void ssnTsnResetRestartsBothSequencesAndTheStreams() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        p.b.send(1, 51, "b1".getBytes(), SendOptions.RELIABLE);
        p.b.send(1, 51, "b2".getBytes(), SendOptions.RELIABLE);
        int[] tt = LifecycleTest.tagAndTsn(p);
        p.run(1000);
        assertThat(p.messages(0)).hasSize(2);
        int cum = tt[1]; // a's only DATA so far
        inject(p, tt[0], new ReConfigParam.SsnTsnReset(tt[1]));
        List<ReConfigParam> answer = params(drain(p));
        assertThat(answer).singleElement().isInstanceOf(ReConfigParam.Response.class);
        ReConfigParam.Response r = (ReConfigParam.Response) answer.getFirst();
        assertThat(r.responseSeq()).isEqualTo(tt[1]);
        assertThat(r.result()).isEqualTo(ReConfigParam.Response.SUCCESS_PERFORMED);
        assertThat(r.hasTsns()).isTrue();
        assertThat(r.receiverNextTsn()).isEqualTo(cum + 1 + (1 << 31)); // E2
        // the peer now sends from the new TSN with SSN 0 on a stream it had used: b delivers it
        p.b.handlePacket(p.now(), ByteBuffer.wrap(LifecycleTest.packet(tt[0],
                new Chunk.Data(3, r.receiverNextTsn(), 0, 0, 51, "new".getBytes()))));
        // and b sends from its announced next TSN, SSN 0 again on stream 1
        p.b.send(1, 51, "b3".getBytes(), SendOptions.RELIABLE);
        List<Chunk.Data> data = drain(p).stream().filter(c -> c instanceof Chunk.Data).map(c -> (Chunk.Data) c)
                .toList();
        assertThat(data).singleElement().satisfies(d -> {
            assertThat(d.tsn()).isEqualTo(r.senderNextTsn());
            assertThat(d.ssn()).isZero();
        });
        p.run(1); // the pump collects b's events
        assertThat(p.events(1, SctpEvent.AssociationReset.class)).hasSize(1);
        assertThat(p.messages(1).getLast().data()).isEqualTo("new".getBytes());
    }

    @Test
    void ssnTsnResetWaitsWhileOurDataIsInFlight() {
        SctpPair p = SctpPair.connected(s(1), s(2), 3);
        int[] tt = LifecycleTest.tagAndTsn(p);
        p.run(500);
        p.b.send(1, 51, new byte[5000], SendOptions.RELIABLE);
        drain(p); // sent, not acknowledged
        inject(p, tt[0], new ReConfigParam.SsnTsnReset(tt[1]));
        assertThat(params(drain(p))).containsExactly(new ReConfigParam.Response(tt[1],
                ReConfigParam.Response.IN_PROGRESS, false, 0, 0));
        assertThat(p.events(1, SctpEvent.AssociationReset.class)).isEmpty();
    }
}
