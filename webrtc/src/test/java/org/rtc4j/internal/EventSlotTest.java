package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events wait for their handler, in order, and what waits is bounded in count and bytes. */
class EventSlotTest {

    private final IoLoop loop = IoLoop.assign(1);

    @Test
    void queuedEventsReachALateHandlerInOrder() throws Exception {
        EventSlot<Integer> slot = new EventSlot<>("test", loop);
        loop.call(() -> {
            for (int i = 0; i < 5; i++) {
                slot.fire(i);
            }
            return null;
        });
        List<Integer> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(6);
        slot.set(e -> {
            got.add(e);
            done.countDown();
        });
        loop.call(() -> {
            slot.fire(5);
            return null;
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(got).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void withoutAHandlerOnlyTheNewestWithinTheByteBoundAreKept() throws Exception {
        EventSlot<byte[]> slot = new EventSlot<>("big", loop, b -> b.length);
        loop.call(() -> {
            for (int i = 0; i < 100; i++) {
                byte[] m = new byte[1 << 20];
                m[0] = (byte) i;
                slot.fire(m);
            }
            return null;
        });
        List<Integer> got = new CopyOnWriteArrayList<>();
        slot.set(b -> got.add((int) b[0]));
        loop.call(() -> null); // the drain ran before this
        assertThat(got).hasSize(64);
        assertThat(got.get(0)).isEqualTo(36);
        assertThat(got.get(63)).isEqualTo(99);
    }
}
