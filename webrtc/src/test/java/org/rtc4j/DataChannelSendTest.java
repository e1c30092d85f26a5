package org.rtc4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code send} from a thread of the application's own, which does not wait for the connection's loop: order
 * kept, bufferedAmount counting what is on its way, and a full send buffer still a synchronous OperationError
 * (W3C section 6.2.4), not a lost message.
 */
@Timeout(60)
class DataChannelSendTest {

    @Test
    void messagesFromAnApplicationThreadArriveInOrder() throws Exception {
        try (PeerPair pair = PeerPair.open(RTCConfiguration.defaults(), RTCSettings.defaults())) {
            RTCDataChannel[] ch = CrossLoopCallbacksTest.openChannels(pair);
            int count = 3000;
            List<Integer> got = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> all = new CompletableFuture<>();
            ch[1].onMessage(m -> {
                got.add(ByteBuffer.wrap(m.bytes()).getInt());
                if (got.size() == count) {
                    all.complete(null);
                }
            });
            byte[] m = new byte[1000];
            for (int i = 0; i < count; i++) {
                ByteBuffer.wrap(m).putInt(i);
                ch[0].send(m); // copied: the array is reused at once
                while (ch[0].bufferedAmount() > 1 << 20) {
                    Thread.sleep(1);
                }
            }
            all.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < count; i++) {
                assertThat(got.get(i)).isEqualTo(i);
            }
        }
    }

    @Test
    void sendDoesNotWaitForABusyLoop() throws Exception {
        try (PeerPair pair = PeerPair.open(RTCConfiguration.defaults(), RTCSettings.defaults())) {
            RTCDataChannel[] ch = CrossLoopCallbacksTest.openChannels(pair);
            CountDownLatch hold = new CountDownLatch(1);
            CompletableFuture<Void> held = new CompletableFuture<>();
            CompletableFuture<String> got = new CompletableFuture<>();
            ch[0].onMessage(e -> {
                held.complete(null);
                try {
                    hold.await(20, TimeUnit.SECONDS); // the loop busy (a handler must not do this)
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            ch[1].onMessage(e -> got.complete(e.text()));
            ch[1].send("hold the loop");
            held.get(20, TimeUnit.SECONDS);
            try {
                CompletableFuture.runAsync(() -> ch[0].send("sent")).get(10, TimeUnit.SECONDS);
            } finally {
                hold.countDown();
            }
            assertThat(got.get(20, TimeUnit.SECONDS)).isEqualTo("sent");
        }
    }

    @Test
    void aFullSendBufferIsASynchronousOperationError() throws Exception {
        RTCSettings small = RTCSettings.defaults().withSctpBuffers(RTCSettings.defaults().sctpReceiveWindow(), 65536);
        try (PeerPair pair = PeerPair.open(RTCConfiguration.defaults(), small)) {
            RTCDataChannel[] ch = CrossLoopCallbacksTest.openChannels(pair);
            List<DOMException> events = new CopyOnWriteArrayList<>();
            ch[0].onError(events::add);
            int[] binary = new int[1];
            CompletableFuture<Void> after = new CompletableFuture<>();
            ch[1].onMessage(e -> {
                if (e.isBinary()) {
                    binary[0]++; // on the loop, one event at a time
                } else {
                    after.complete(null);
                }
            });
            byte[] m = new byte[16_000];
            int[] accepted = new int[1];
            assertThatThrownBy(() -> {
                for (int i = 0; i < 10_000; i++) {
                    ch[0].send(m);
                    accepted[0]++;
                }
            }).isInstanceOf(OperationError.class);
            // What was accepted is sent: the channel stays open and every accepted message arrives, in order.
            assertThat(ch[0].readyState()).isEqualTo(RTCDataChannelState.OPEN);
            while (ch[0].bufferedAmount() > 0) {
                Thread.sleep(5);
            }
            ch[0].send("after");
            after.get(20, TimeUnit.SECONDS);
            assertThat(binary[0]).isEqualTo(accepted[0]);
            assertThat(events).isEmpty();
        }
    }
}
