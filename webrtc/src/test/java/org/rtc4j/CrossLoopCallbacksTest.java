package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two connections on two loops, each calling the other's synchronous methods from its own callbacks: a
 * channel's send, state and bufferedAmount, close. None of them may wait for the other loop (each loop would
 * wait for the other for ever); a call that must wait and would close such a cycle is refused, never hung.
 * Every wait below is bounded: a deadlock fails the test instead of stalling the build.
 */
@Timeout(60)
class CrossLoopCallbacksTest {

    private static final int BOUNCES = 2000;

    /**
     * A pair whose two connections run on two different loops (the shared group assigns loops by load, so a
     * pair may share one: then another is tried), with channel "x" open on both sides.
     */
    private static PeerPair pairOnTwoLoops(RTCDataChannel[] ch) throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            PeerPair pair = PeerPair.open(RTCConfiguration.defaults(), RTCSettings.defaults());
            RTCDataChannel[] opened = openChannels(pair);
            CompletableFuture<String> t0 = new CompletableFuture<>();
            CompletableFuture<String> t1 = new CompletableFuture<>();
            opened[0].onMessage(m -> t0.complete(Thread.currentThread().getName()));
            opened[1].onMessage(m -> t1.complete(Thread.currentThread().getName()));
            opened[0].send("which loop?");
            opened[1].send("which loop?");
            if (!t0.get(10, TimeUnit.SECONDS).equals(t1.get(10, TimeUnit.SECONDS))) {
                ch[0] = opened[0];
                ch[1] = opened[1];
                return pair;
            }
            pair.close();
        }
        throw new AssertionError("no pair of connections on two loops: is the loop group one thread?");
    }

    /** The pair, channel "x" open on both sides: [0] the offerer's end, [1] the answerer's. */
    static RTCDataChannel[] openChannels(PeerPair pair) throws Exception {
        CompletableFuture<RTCDataChannel> remote = new CompletableFuture<>();
        pair.answerer().onDataChannel(remote::complete);
        RTCDataChannel local = pair.offerer().createDataChannel("x", RTCDataChannelInit.defaults());
        CompletableFuture<Void> opened = new CompletableFuture<>();
        local.onOpen(() -> opened.complete(null));
        PeerPair.connect(pair.offerer(), pair.answerer());
        opened.get(20, TimeUnit.SECONDS);
        RTCDataChannel other = remote.get(20, TimeUnit.SECONDS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (other.readyState() != RTCDataChannelState.OPEN && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return new RTCDataChannel[] {local, other};
    }

    @Test
    void callbacksSendToEachOtherAcrossLoopsWithoutDeadlock() throws Exception {
        RTCDataChannel[] ch = new RTCDataChannel[2];
        try (PeerPair pair = pairOnTwoLoops(ch)) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            AtomicInteger[] got = {new AtomicInteger(), new AtomicInteger()};
            CompletableFuture<Void> done = new CompletableFuture<>();
            for (int side = 0; side < 2; side++) {
                int me = side;
                RTCDataChannel other = ch[1 - side]; // the other connection's end, on the other loop
                ch[side].onMessage(m -> {
                    threads.add(Thread.currentThread().getName());
                    try {
                        // what a relay between two connections does: read the other's state, send through it
                        if (other.readyState() == RTCDataChannelState.OPEN && other.bufferedAmount() >= 0
                                && got[me].incrementAndGet() <= BOUNCES) {
                            other.send(m.text());
                        }
                        if (got[0].get() >= BOUNCES && got[1].get() >= BOUNCES) {
                            done.complete(null);
                        }
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                });
            }
            for (int i = 0; i < 16; i++) { // many bounces in flight both ways: both loops busy in callbacks
                ch[0].send("a" + i);
                ch[1].send("b" + i);
            }
            try {
                done.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("no progress: deadlocked? received " + got[0] + " and " + got[1], e);
            }
            assertThat(threads).as("the two connections' callbacks ran on two loops").hasSize(2);
            // closing the other connection's channel from a callback does not wait either
            CompletableFuture<Void> closed = new CompletableFuture<>();
            ch[1].onClose(() -> closed.complete(null));
            ch[0].onMessage(m -> ch[1].close());
            ch[1].send("close me");
            closed.get(10, TimeUnit.SECONDS);
            assertThat(ch[1].readyState()).isEqualTo(RTCDataChannelState.CLOSED);
        }
    }

    /**
     * A call that has to wait for the other loop (createDataChannel returns the channel) while that loop waits
     * for the caller's: refused with an exception, and the first call completes. The callbacks are each
     * connection's own bufferedamountlow, so that each fires on its loop without the other loop's help.
     */
    @Test
    void aWaitThatWouldCloseACycleIsRefused() throws Exception {
        RTCDataChannel[] ch = new RTCDataChannel[2];
        try (PeerPair pair = pairOnTwoLoops(ch)) {
            RTCPeerConnection[] pcs = {pair.offerer(), pair.answerer()};
            CountDownLatch[] inCallback = {new CountDownLatch(1), new CountDownLatch(1)};
            CompletableFuture<RTCDataChannel> first = new CompletableFuture<>();
            CompletableFuture<RuntimeException> refused = new CompletableFuture<>();
            ch[0].onBufferedAmountLow(() -> {
                inCallback[0].countDown();
                try {
                    inCallback[1].await(5, TimeUnit.SECONDS);
                    first.complete(pcs[1].createDataChannel("from-0", RTCDataChannelInit.defaults()));
                } catch (InterruptedException | RuntimeException e) {
                    first.completeExceptionally(e);
                }
            });
            ch[1].onBufferedAmountLow(() -> {
                inCallback[1].countDown();
                try {
                    inCallback[0].await(5, TimeUnit.SECONDS);
                    Thread.sleep(300); // side 0 is waiting for this loop by now
                    pcs[0].createDataChannel("from-1", RTCDataChannelInit.defaults());
                    refused.complete(null);
                } catch (InterruptedException e) {
                    refused.completeExceptionally(e);
                } catch (RuntimeException e) {
                    refused.complete(e);
                }
            });
            ch[0].bufferedAmountLowThreshold(0);
            ch[1].bufferedAmountLowThreshold(0);
            ch[0].send("go");
            ch[1].send("go");
            assertThat(refused.get(20, TimeUnit.SECONDS)).as("the second call refused").isNotNull()
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("would never return");
            assertThat(first.get(20, TimeUnit.SECONDS).label()).isEqualTo("from-0");
        }
    }
}
