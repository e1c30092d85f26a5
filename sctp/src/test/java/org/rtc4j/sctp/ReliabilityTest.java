package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.core.Bytes;
import org.rtc4j.testkit.sim.LinkConfig;

/** Partial reliability (RFC 3758) and unordered delivery. */
class ReliabilityTest {

    static SctpSettings s(long seed, boolean idata) {
        return SctpSettings.defaults().withInterleaving(idata).withRandom(new Random(seed));
    }

    static byte[] numbered(int i, int size) {
        byte[] b = new byte[size];
        Bytes.putU32(b, 0, i);
        for (int k = 4; k < size; k++) {
            b[k] = (byte) (i + k);
        }
        return b;
    }

    static int number(byte[] b) {
        return (int) Bytes.getU32(b, 0);
    }

    /** True when a packet from side 0 carries the first fragment of message {@code index}'s first DATA. */
    static boolean carriesMessage(byte[] packet, int index, boolean idata) {
        int off = 12;
        while (off + 4 <= packet.length) {
            int type = packet[off] & 0xFF;
            int len = Bytes.getU16(packet, off + 2);
            int hdr = idata ? 20 : 16;
            if ((type == 0 || type == 64) && len > hdr + 4 && (packet[off + 1] & 2) != 0
                    && Bytes.getU32(packet, off + hdr) == index) {
                return true;
            }
            off += Bytes.pad4(Math.max(len, 4));
        }
        return false;
    }

    @ParameterizedTest(name = "interleaving {0}")
    @ValueSource(booleans = {false, true})
    void retransmitLimitDropsExactlyTheMessageWhoseLimitRanOut(boolean idata) {
        for (int limit : new int[] {0, 1}) {
            SctpPair p = SctpPair.connected(s(1, idata), s(2, idata), 3);
            SctpAssociation a = p.a;
            // Lose message 5 once, and message 9 twice.
            int[] drops = new int[20];
            p.dropSent((side, bytes) -> {
                if (side != 0) {
                    return false;
                }
                for (int m : new int[] {5, 9}) {
                    if (carriesMessage(bytes, m, idata) && drops[m] < (m == 5 ? 1 : 2)) {
                        drops[m]++;
                        return true;
                    }
                }
                return false;
            });
            SendOptions pr = new SendOptions(false, limit, -1);
            for (int i = 0; i < 20; i++) {
                a.send(1, 53, numbered(i, 300), pr);
                p.run(5);
            }
            p.run(10_000);
            List<Integer> got = new ArrayList<>();
            for (SctpEvent.Message m : p.messages(1)) {
                got.add(number(m.data()));
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                boolean lost = (i == 5 && limit < 1) || (i == 9 && limit < 2);
                if (!lost) {
                    expected.add(i);
                }
            }
            assertThat(got).as("limit %d", limit).isEqualTo(expected);
            assertThat(a.stats().abandoned()).isEqualTo(20 - expected.size());
            // the stream goes on after the skipped messages
            a.send(1, 53, numbered(100, 10), pr);
            p.run(1000);
            assertThat(number(p.messages(1).getLast().data())).isEqualTo(100);
        }
    }

    @ParameterizedTest(name = "interleaving {0}")
    @ValueSource(booleans = {false, true})
    void lifetimeLimitDropsOnlyWhatExpired(boolean idata) {
        SctpPair p = SctpPair.connected(s(1, idata), s(2, idata), 3);
        p.link(LinkConfig.delay(Duration.ofMillis(50)));
        SctpAssociation a = p.a;
        // Message 3's first transmission is lost; its retransmission (after RTO >= 200 ms) comes too late for
        // a 100 ms lifetime but in time for a 5 s one.
        boolean[] dropped = new boolean[1];
        p.dropSent((side, bytes) -> {
            if (side == 0 && !dropped[0] && carriesMessage(bytes, 3, idata)) {
                dropped[0] = true;
                return true;
            }
            return false;
        });
        for (int i = 0; i < 8; i++) {
            a.send(1, 53, numbered(i, 100), new SendOptions(false, -1, i == 3 ? 100 : 5000));
        }
        p.run(10_000);
        List<Integer> got = p.messages(1).stream().map(m -> number(m.data())).toList();
        assertThat(got).containsExactly(0, 1, 2, 4, 5, 6, 7);
    }

    static List<SctpEvent.Message> received(SctpPair p) {
        return p.sb.events().stream().filter(e -> e instanceof SctpEvent.Message).map(e -> (SctpEvent.Message) e)
                .toList();
    }

    @ParameterizedTest(name = "interleaving {0}")
    @ValueSource(booleans = {false, true})
    void partialReliabilityUnderRandomLossNeverDuplicatesOrReorders(boolean idata) {
        SctpPair p = SctpPair.connected(3, s(1, idata), s(2, idata), LinkConfig.builder().delay(Duration.ofMillis(10))
                .jitter(Duration.ofMillis(3)).loss(0.1).duplicate(0.05).build());
        Random sizes = new Random(5);
        int n = 2000;
        for (int i = 0; i < n; i++) {
            p.a.send(1, 53, numbered(i, 4 + sizes.nextInt(3000)), new SendOptions(false, 0, -1));
            if (i % 20 == 0) {
                p.net.runFor(Duration.ofMillis(20));
            }
        }
        p.net.runFor(Duration.ofSeconds(60));
        List<SctpEvent.Message> got = received(p);
        int last = -1;
        for (SctpEvent.Message m : got) {
            int k = number(m.data());
            assertThat(k).isGreaterThan(last);
            assertThat(m.data()).isEqualTo(numbered(k, m.data().length));
            last = k;
        }
        // Abandoned at the sender means not retransmitted any more; it may still have arrived.
        assertThat(got.size()).isGreaterThanOrEqualTo(n - (int) p.a.stats().abandoned()).isLessThanOrEqualTo(n);
        assertThat(got.size()).isGreaterThan(n / 2);
        assertThat(p.a.stats().abandoned()).isPositive();
    }

    @ParameterizedTest(name = "interleaving {0}")
    @ValueSource(booleans = {false, true})
    void unorderedDeliversEachMessageOnce(boolean idata) {
        SctpPair p = SctpPair.connected(3, s(1, idata), s(2, idata), LinkConfig.builder().delay(Duration.ofMillis(10))
                .jitter(Duration.ofMillis(8)).loss(0.1).duplicate(0.1).build());
        Random sizes = new Random(5);
        int n = 3000;
        for (int i = 0; i < n; i++) {
            p.a.send(2, 53, numbered(i, 4 + sizes.nextInt(5000)), SendOptions.RELIABLE_UNORDERED);
            if (i % 50 == 0) {
                p.net.runFor(Duration.ofMillis(20));
            }
        }
        p.net.runFor(Duration.ofSeconds(120));
        Set<Integer> seen = new HashSet<>();
        boolean outOfOrder = false;
        int last = -1;
        for (SctpEvent.Message m : received(p)) {
            int k = number(m.data());
            assertThat(seen.add(k)).as("message %d once", k).isTrue();
            assertThat(m.unordered()).isTrue();
            assertThat(m.data()).isEqualTo(numbered(k, m.data().length));
            outOfOrder |= k < last;
            last = k;
        }
        assertThat(seen).hasSize(n);
        assertThat(outOfOrder).as("loss let later messages overtake").isTrue();
    }
}
