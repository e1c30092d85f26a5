package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's wake-ups: a task from another thread wakes a sleeping loop, and only a sleeping one. */
@Timeout(30)
class IoLoopTest {

    @Test
    void aBurstOfTasksToABusyLoopWakesItNot() throws Exception {
        IoLoop loop = IoLoop.assign(2);
        try {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
            long before = loop.wakeups();
            CountDownLatch done = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                loop.execute(done::countDown);
            }
            release.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            // The loop was running a task: it looks at the queue before it blocks again, so none was needed.
            assertThat(loop.wakeups() - before).isZero();
        } finally {
            loop.release();
        }
    }

    @Test
    void aTaskWakesASleepingLoop() throws Exception {
        IoLoop loop = IoLoop.assign(2);
        try {
            for (int i = 0; i < 20; i++) {
                Thread.sleep(5); // long enough, most times, for the loop to block in select
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown);
                assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(loop.wakeups()).isPositive();
        } finally {
            loop.release();
        }
    }
}
