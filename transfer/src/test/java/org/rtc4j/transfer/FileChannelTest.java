package org.rtc4j.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.transfer.internal.CodeAuth;
import org.rtc4j.transfer.internal.Json;
import org.rtc4j.transfer.internal.Manifest;
import org.rtc4j.transfer.internal.PeerLink;

/**
 * A file's data channel, each end against one driven by hand: the sender keeps it open until the receiver
 * verified the file (Chromium lost the end of a file whose channel was reset at once), and a receiver whose file
 * channel closes before the file's end fails instead of waiting for it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileChannelTest {

    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void theSenderKeepsAFilesChannelOpenUntilTheReceiverVerifiedIt() throws Exception {
        Path empty = Files.write(tmp.resolve("empty.txt"), new byte[0]); // its channel carries nothing but its end
        var hub = new LocalRendezvous.Hub();
        try (var sender = TransferSender.start(List.of(empty), hub.client(), TransferTest.OPTIONS,
                new TransferListener() { })) {
            var sent = CompletableFuture.supplyAsync(() -> TransferTest.call(sender::await));
            LocalRendezvous rendezvous = hub.client();
            BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
            rendezvous.join(sender.code().nameplate(), into(inbox, new CompletableFuture<>()));
            CompletableFuture<String> end = new CompletableFuture<>();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            try (PeerLink link = PeerLink.answer(TransferTest.OPTIONS, rendezvous, inbox, c -> {
                c.onMessage(m -> end.complete(m.text()));
                c.onClose(() -> closed.complete(null));
            })) {
                CodeAuth.run(link, CodeAuth.Role.RECEIVER, sender.code(), STEP);
                Manifest.receive(link, STEP);
                ObjectNode want = Json.message("want").put("last", true);
                want.putArray("files").addObject().put("i", 0).putArray("r");
                link.send(want);
                assertThat(Json.type(Json.parse(end.get(10, TimeUnit.SECONDS)))).isEqualTo("end");
                Thread.sleep(300); // a close sent with the end would be here by now
                assertThat(closed).as("the channel, its end sent and not yet verified").isNotDone();
                link.send(Json.message("ok").put("i", 0));
                closed.get(10, TimeUnit.SECONDS);
                link.send(Json.message("done"));
                assertThat(sent.get(10, TimeUnit.SECONDS).files()).isEqualTo(1);
            }
        }
    }

    @Test
    void aFileChannelClosedBeforeTheFilesEndFailsTheReceive() throws Exception {
        Path file = Files.write(tmp.resolve("file.bin"), TransferTest.bytes(new java.util.Random(4), 100_000));
        var hub = new LocalRendezvous.Hub();
        LocalRendezvous rendezvous = hub.client();
        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        TransferCode code = TransferCode.generate(rendezvous.claim(into(inbox, arrived)), new SecureRandom());
        Path out = tmp.resolve("out");
        var received = CompletableFuture.supplyAsync(() -> TransferTest.call(() -> TransferReceiver.receive(code,
                out, hub.client(), TransferTest.OPTIONS, new TransferListener() { })));
        arrived.get(10, TimeUnit.SECONDS);
        try (PeerLink link = PeerLink.offer(TransferTest.OPTIONS, rendezvous, inbox)) {
            CodeAuth.run(link, CodeAuth.Role.SENDER, code, STEP);
            for (ObjectNode m : Manifest.of("0".repeat(32), List.of(file)).messages()) {
                link.send(m);
            }
            assertThat(Json.type(link.next(STEP))).isEqualTo("want");
            RTCDataChannel ch = link.peerConnection().createDataChannel("f0", RTCDataChannelInit.defaults());
            CompletableFuture<Void> open = new CompletableFuture<>();
            ch.onOpen(() -> open.complete(null));
            open.get(10, TimeUnit.SECONDS);
            ch.close(); // before any chunk and the end
            var error = received.handle((r, e) -> e).get(20, TimeUnit.SECONDS);
            assertThat(error).as("the receive's outcome").isNotNull().rootCause()
                    .isInstanceOfSatisfying(TransferException.class,
                            t -> assertThat(t.reason()).isEqualTo(TransferException.Reason.CONNECTION))
                    .hasMessage("the channel of file.bin closed before the file's end");
        }
        assertThat(out.resolve("file.bin")).doesNotExist();
    }

    /** A rendezvous listener that queues the messages and completes {@code arrived} when the other end comes. */
    private static Rendezvous.Listener into(BlockingQueue<String> inbox, CompletableFuture<Void> arrived) {
        return new Rendezvous.Listener() {
            @Override
            public void peerArrived() {
                arrived.complete(null);
            }

            @Override
            public void peerLeft() {
            }

            @Override
            public void message(String text) {
                inbox.add(text);
            }
        };
    }
}
