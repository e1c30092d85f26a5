package org.rtc4j.transfer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.RTCDataChannel;
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
        CompletableFuture<String> opened = new CompletableFuture<>();
        try (Links links = Links.open(c -> opened.complete(c.label()))) {
            PeerLink sender = links.sender();
            PeerLink receiver = links.receiver();
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
                    // "hello", and a keepalive for each second that went by without a control message
                    .hasMessageMatching("(?s).*" + PeerLink.CONTROL + " [1-9][0-9]* messages.*")
                    .hasMessageContaining("?[2J" + "x".repeat(36) + " 0 messages")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b"));
        }
    }

    /**
     * A control channel silent both ways gets a keepalive each second (from whichever end's timer comes first),
     * which the other end drops: a browser that holds its message until one of ours arrives sends it then.
     */
    @Test
    void aSilentControlChannelCarriesKeepalivesThatTheOtherEndDrops() throws Exception {
        try (Links links = Links.open(c -> { })) {
            PeerLink sender = links.sender();
            PeerLink receiver = links.receiver();
            long heard = 0;
            for (long end = System.nanoTime() + 20_000_000_000L; heard < 2 && System.nanoTime() < end; ) {
                assertThat(receiver.poll(Duration.ofMillis(250))).as("keepalives are not messages").isNull();
                assertThat(sender.poll(Duration.ofMillis(250))).as("keepalives are not messages").isNull();
                heard = controlMessages(sender) + controlMessages(receiver);
            }
            assertThat(heard).as("keepalives, either way").isGreaterThanOrEqualTo(2);
            sender.send(Json.message("hello"));
            assertThat(Json.type(receiver.next(Duration.ofSeconds(10)))).isEqualTo("hello");
        }
    }

    private static long controlMessages(PeerLink link) throws Exception {
        var channels = link.peerConnection().getStats().get(10, TimeUnit.SECONDS).ofType("data-channel");
        return ((Number) channels.get(0).get("messagesReceived")).longValue();
    }

    /** A sender's and a receiver's link, connected; the receiver's file channels go to {@code files}. */
    private record Links(PeerLink sender, PeerLink receiver) implements AutoCloseable {
        static Links open(Consumer<RTCDataChannel> files) throws Exception {
            BlockingQueue<String> toSender = new LinkedBlockingQueue<>();
            BlockingQueue<String> toReceiver = new LinkedBlockingQueue<>();
            CompletableFuture<PeerLink> answered = CompletableFuture.supplyAsync(() -> {
                try {
                    return PeerLink.answer(OPTIONS, to(toSender), toReceiver, files);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            return new Links(PeerLink.offer(OPTIONS, to(toReceiver), toSender), answered.join());
        }

        @Override
        public void close() {
            sender.close();
            receiver.close();
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
