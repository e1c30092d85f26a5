package org.rtc4j.transfer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.RTCSettings;
import org.rtc4j.transfer.Rendezvous;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferOptions;

/**
 * Two links through a rendezvous that hands each message to the other end's inbox. The stats list the channels in
 * no particular order.
 */
@Timeout(60)
class PeerLinkTest {

    private static final TransferOptions OPTIONS = TransferOptions.defaults()
            .withSettings(RTCSettings.defaults().withLoopbackCandidates(true));

    @Test
    void aSilentPeerIsReportedWithWhatStillCameFromIt() throws Exception {
        BlockingQueue<String> toSender = new LinkedBlockingQueue<>();
        BlockingQueue<String> toReceiver = new LinkedBlockingQueue<>();
        CompletableFuture<String> opened = new CompletableFuture<>();
        CompletableFuture<PeerLink> answered = CompletableFuture.supplyAsync(() -> {
            try {
                return PeerLink.answer(OPTIONS, to(toSender), toReceiver, c -> opened.complete(c.label()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (PeerLink sender = PeerLink.offer(OPTIONS, to(toReceiver), toSender);
             PeerLink receiver = answered.join()) {
            // A label that would clear the terminal that prints the error.
            sender.peerConnection().createDataChannel("\u001b[2J" + "x".repeat(100), RTCDataChannelInit.defaults());
            assertThat(opened.get(10, TimeUnit.SECONDS)).startsWith("\u001b");
            sender.send(Json.message("hello"));
            assertThat(Json.type(receiver.next(Duration.ofSeconds(10)))).isEqualTo("hello");
            assertThatThrownBy(() -> receiver.next(Duration.ofMillis(200)))
                    .isInstanceOfSatisfying(TransferException.class,
                            e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.CONNECTION))
                    .hasMessageStartingWith("the peer said nothing for 0 s (from the peer: ")
                    .hasMessageContaining(" packets; ")
                    .hasMessageContaining(PeerLink.CONTROL + " ") // "hello", and keepalives if a second went by
                    .hasMessageContaining("?[2J" + "x".repeat(36) + " 0 messages")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b"));
        }
    }

    /**
     * A control channel silent both ways gets a keepalive each second from each end, which the other drops: a
     * browser that holds its message until one of ours arrives sends it then.
     */
    @Test
    void aSilentControlChannelCarriesKeepalivesThatTheOtherEndDrops() throws Exception {
        BlockingQueue<String> toSender = new LinkedBlockingQueue<>();
        BlockingQueue<String> toReceiver = new LinkedBlockingQueue<>();
        CompletableFuture<PeerLink> answered = CompletableFuture.supplyAsync(() -> {
            try {
                return PeerLink.answer(OPTIONS, to(toSender), toReceiver, c -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (PeerLink sender = PeerLink.offer(OPTIONS, to(toReceiver), toSender);
             PeerLink receiver = answered.join()) {
            assertThat(receiver.poll(Duration.ofMillis(2600))).as("keepalives are not messages").isNull();
            var stats = receiver.peerConnection().getStats().get(10, TimeUnit.SECONDS).ofType("data-channel");
            assertThat(stats).singleElement().satisfies(c -> assertThat(((Number) c.get("messagesReceived"))
                    .longValue()).as("keepalives received").isGreaterThanOrEqualTo(2));
            sender.send(Json.message("hello"));
            assertThat(Json.type(receiver.next(Duration.ofSeconds(10)))).isEqualTo("hello");
        }
    }

    private static Rendezvous to(BlockingQueue<String> inbox) {
        return new Rendezvous() {
            @Override
            public int claim(Listener listener) {
                return 1;
            }

            @Override
            public void join(int nameplate, Listener listener) {
            }

            @Override
            public void send(String text) {
                inbox.add(text);
            }

            @Override
            public void close() {
            }
        };
    }
}
