package org.rtc4j.ice.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transmit;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;

/** The resolver engine on a virtual clock: queries, answers, retries, timeouts and the cache. */
class MdnsResolverTest {

    static final String NAME = "0c1d2e3f-aaaa-bbbb-cccc-0123456789ab.local";
    static final TransportAddress RESPONDER = TransportAddress.parse(Transport.UDP, "127.0.0.1:5353");
    static final TransportAddress ME = TransportAddress.parse(Transport.UDP, "127.0.0.1:40000");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static MdnsResolver resolver() {
        return new MdnsResolver(List.of(MdnsResolver.IPV4_GROUP, MdnsResolver.IPV6_GROUP), Duration.ofSeconds(2),
                new Random(1));
    }

    static List<Transmit> drain(MdnsResolver r) {
        List<Transmit> out = new ArrayList<>();
        for (Transmit t; (t = r.pollTransmit()) != null; ) {
            out.add(t);
        }
        return out;
    }

    @Test
    void asksBothGroupsAndAnswersFromAResponse() throws Exception {
        MdnsResolver r = resolver();
        r.resolve(T0, NAME);
        List<Transmit> sent = drain(r);
        assertThat(sent).extracting(Transmit::destination)
                .containsExactly(MdnsResolver.IPV4_GROUP, MdnsResolver.IPV6_GROUP);
        int id = MdnsMessage.queryId(sent.get(0).payload(), NAME);
        assertThat(r.pollEvent()).isNull();
        InetAddress ip = InetAddress.getByName("192.168.1.20");
        r.handleInput(T0.plusMillis(5), RESPONDER, ME, MdnsMessage.response(id, NAME, Duration.ofSeconds(120), ip));
        assertThat(r.pollEvent()).isEqualTo(new MdnsResolver.Result(NAME, ip));
        assertThat(r.pollTimeout()).isNull();
        // A second answer for the same name is unsolicited now.
        r.handleInput(T0.plusMillis(6), RESPONDER, ME, MdnsMessage.response(id, NAME, Duration.ofSeconds(120), ip));
        assertThat(r.pollEvent()).isNull();
        assertThat(r.stats().unsolicited()).isEqualTo(1);
        // Cached: answered at once without a query, until its TTL passes.
        r.resolve(T0.plusSeconds(60), NAME.toUpperCase());
        assertThat(drain(r)).isEmpty();
        assertThat(r.pollEvent().address()).isEqualTo(ip);
        r.resolve(T0.plusSeconds(121), NAME);
        assertThat(drain(r)).hasSize(2);
    }

    @Test
    void retriesThenTimesOutWithoutAnAddress() {
        MdnsResolver r = resolver();
        r.resolve(T0, NAME);
        assertThat(drain(r)).hasSize(2);
        assertThat(r.pollTimeout()).isEqualTo(T0.plusMillis(250));
        r.handleTimeout(T0.plusMillis(250));
        assertThat(drain(r)).hasSize(2);
        assertThat(r.pollTimeout()).isEqualTo(T0.plusMillis(1000));
        r.handleTimeout(T0.plusMillis(1000));
        assertThat(drain(r)).hasSize(2);
        assertThat(r.pollTimeout()).isEqualTo(T0.plusSeconds(2));
        r.handleTimeout(T0.plusMillis(1999));
        assertThat(r.pollEvent()).isNull();
        r.handleTimeout(T0.plusSeconds(2));
        assertThat(r.pollEvent()).isEqualTo(new MdnsResolver.Result(NAME, null));
        assertThat(r.pollTimeout()).isNull();
        assertThat(r.stats().timedOut()).isEqualTo(1);
    }

    @Test
    void otherNamesNoTargetsAndTooManyPendingAnswerAtOnceWithoutAnAddress() {
        MdnsResolver r = resolver();
        r.resolve(T0, "example.com");
        assertThat(r.pollEvent().address()).isNull();
        MdnsResolver none = new MdnsResolver(List.of(), Duration.ofSeconds(2), new Random(1));
        none.resolve(T0, NAME);
        assertThat(none.pollEvent()).isEqualTo(new MdnsResolver.Result(NAME, null));
        for (int i = 0; i < MdnsResolver.MAX_PENDING; i++) {
            r.resolve(T0, "n" + i + ".local");
        }
        assertThat(r.pollEvent()).isNull();
        r.resolve(T0, "one-too-many.local");
        assertThat(r.pollEvent()).isEqualTo(new MdnsResolver.Result("one-too-many.local", null));
    }

    @Test
    void garbageIsCountedAndChangesNothing() {
        MdnsResolver r = resolver();
        r.resolve(T0, NAME);
        r.handleInput(T0, RESPONDER, ME, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(r.stats().malformed()).isEqualTo(1);
        assertThat(r.pollEvent()).isNull();
    }
}
