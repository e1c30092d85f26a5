package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.rtc4j.testkit.sim.LinkConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 100 MB on one reliable ordered stream, on a virtual clock, with loss, reordering and duplication. */
class TransferTest {

    static final long TOTAL = 100L << 20;

    /** Sends numbered messages of varied sizes and checks each one that arrives, in order. */
    static final class Checker {
        final SctpAssociation sender;
        final int stream;
        final SendOptions options;
        final Random sizes = new Random(42);
        long sentBytes;
        int sentCount;
        int received;
        long receivedBytes;
        String error;

        long total = TOTAL;

        Checker(SctpAssociation sender, int stream, SendOptions options) {
            this.sender = sender;
            this.stream = stream;
            this.options = options;
        }

        static byte[] content(int index, int size) {
            byte[] b = new byte[size];
            int x = index * 0x9E3779B1;
            for (int i = 0; i < size; i++) {
                x = x * 1103515245 + 12345;
                b[i] = (byte) (x >>> 24);
            }
            if (size >= 4) {
                b[0] = (byte) (index >>> 24);
                b[1] = (byte) (index >>> 16);
                b[2] = (byte) (index >>> 8);
                b[3] = (byte) index;
            }
            return b;
        }

        int nextSize = -1;

        void refill() {
            while (sentBytes < total && sender.state() == SctpState.ESTABLISHED) {
                if (nextSize < 0) {
                    nextSize = sizes.nextInt(10) == 0 ? 1 + sizes.nextInt(65536) : 1 + sizes.nextInt(3000);
                }
                int size = nextSize;
                if (sender.sendBufferUsed() + size > sender.settings().sendBuffer()) {
                    return;
                }
                byte[] data = content(sentCount, size);
                if (!sender.send(stream, 53, data, options)) {
                    return;
                }
                nextSize = -1;
                sentCount++;
                sentBytes += size;
                sizeLog.add(size);
            }
        }

        final java.util.ArrayList<Integer> sizeLog = new java.util.ArrayList<>();

        void receive(Object e) {
            if (!(e instanceof SctpEvent.Message m) || error != null) {
                return;
            }
            int size = sizeLog.get(received);
            byte[] expected = content(received, size);
            if (!java.util.Arrays.equals(expected, m.data())) {
                error = "message " + received + " differs (got " + m.data().length + " bytes, sent " + size + ")";
            }
            received++;
            receivedBytes += m.data().length;
        }

        boolean done() {
            return error != null || (sentBytes >= total && received == sentCount);
        }
    }

    @ParameterizedTest(name = "loss {0}, interleaving {1}, {2} MB")
    @CsvSource({"0.0, false, 100", "0.05, false, 100", "0.20, false, 100", "0.05, true, 20", "0.20, true, 20"})
    void megabytesArriveIntactAndInOrder(double loss, boolean idata, int megabytes) {
        SctpSettings s = SctpSettings.defaults().withInterleaving(idata).withBuffers(4 << 20, 8L << 20);
        // 10 ms each way; lossy runs also jitter (which reorders), hold back 2 % and duplicate 2 %
        LinkConfig link = loss == 0 ? LinkConfig.delay(Duration.ofMillis(10))
                : LinkConfig.builder().delay(Duration.ofMillis(10)).jitter(Duration.ofMillis(4)).loss(loss)
                        .duplicate(0.02).reorder(0.02, Duration.ofMillis(15)).build();
        SctpPair p = SctpPair.connected(s.withRandom(new Random(1)), s.withRandom(new Random(2)), 9, link);
        Checker c = new Checker(p.a, 0, SendOptions.RELIABLE);
        c.total = (long) megabytes << 20;
        p.sa.beforePoll(c::refill);
        p.sa.keepEvents(false);
        p.sb.keepEvents(false).onEvent(c::receive);
        boolean finished = p.net.runUntil(c::done, Duration.ofHours(1));
        assertThat(c.error).isNull();
        assertThat(finished).as("all delivered within an hour of virtual time").isTrue();
        assertThat(c.receivedBytes).isEqualTo(c.sentBytes);
        assertThat(p.a.state()).isEqualTo(SctpState.ESTABLISHED);
        if (loss > 0) {
            assertThat(p.b.stats().duplicateTsns()).as("duplicated packets reached the receiver").isPositive();
        }
        System.out.printf("loss %.2f idata %s: %d messages, %s virtual, stats %s%n", loss, idata, c.received,
                p.net.elapsed(), p.a.stats());
    }
}
