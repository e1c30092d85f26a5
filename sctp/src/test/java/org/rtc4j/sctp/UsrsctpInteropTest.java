package org.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rtc4j.core.Transport;
import org.rtc4j.core.TransportAddress;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.LoopbackPump;
import org.rtc4j.testkit.pump.Pumped;

/**
 * Against a real SCTP stack we did not write: usrsctp (Debian's libusrsctp, the stack of Firefox and of
 * Chrome before dcsctp), compiled from src/test/c into a small echo peer, talking SCTP over UDP on loopback.
 * Needs gcc and libusrsctp-dev (./rtc4j test installs them).
 */
class UsrsctpInteropTest {

    private static Path peerBinary;
    private Process peer;
    private final List<String> peerLines = Collections.synchronizedList(new ArrayList<>());
    private LoopbackPump pump;
    /** Our association on its loopback socket. */
    private Pumped<SctpEvent> us;

    @BeforeAll
    static void build() throws Exception {
        LoopbackNamespace.require();
        Path src = Path.of("src/test/c/usrsctp_peer.c").toAbsolutePath();
        peerBinary = Path.of("target/usrsctp-peer").toAbsolutePath();
        if (!Files.exists(Path.of("/usr/include/usrsctp.h"))) {
            throw new AssertionError("libusrsctp-dev is not installed (apt-get install libusrsctp-dev)");
        }
        Process gcc = new ProcessBuilder("gcc", "-O1", "-o", peerBinary.toString(), src.toString(), "-lusrsctp",
                "-lpthread").redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("gcc: " + log).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        if (pump != null) {
            pump.close();
        }
        if (peer != null) {
            peer.destroy();
            if (!peer.waitFor(5, TimeUnit.SECONDS)) {
                peer.destroyForcibly();
            }
        }
    }

    private int startPeer(String mode, int javaPort) throws IOException, InterruptedException {
        peer = new ProcessBuilder(peerBinary.toString(), mode, Integer.toString(javaPort))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
        String first = r.readLine();
        assertThat(first).startsWith("PORT ");
        Thread t = new Thread(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    peerLines.add(line);
                }
            } catch (IOException ignored) {
                // the peer went away
            }
        });
        t.setDaemon(true);
        t.start();
        return Integer.parseInt(first.substring(5).trim());
    }

    /** A command to the peer (see usrsctp_peer.c); waits for its "OK". */
    private void command(String line) throws IOException {
        peer.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        peer.getOutputStream().flush();
        assertThat(run(() -> peerLines.contains("OK " + line), 5_000)).as(line + ": " + peerLines).isTrue();
    }

    private SctpAssociation javaClient(SctpSettings s) throws Exception {
        SctpAssociation a = new SctpAssociation(s);
        pump = EnginePump.loopback();
        us = pump.add(a);
        int port = startPeer("server", 0);
        us.sendTo(TransportAddress.parse(Transport.UDP, "127.0.0.1:" + port));
        a.connect(pump.now());
        assertThat(run(() -> a.state() == SctpState.ESTABLISHED, 10_000)).isTrue();
        return a;
    }

    private boolean run(BooleanSupplier done, long millis) {
        return pump.runUntil(done, Duration.ofMillis(millis));
    }

    private List<SctpEvent.Message> messages() {
        List<SctpEvent.Message> out = new ArrayList<>();
        for (Object e : us.events()) {
            if (e instanceof SctpEvent.Message m) {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void weConnectAndMessagesOfEverySizeComeBackIntact() throws Exception {
        SctpAssociation a = javaClient(SctpSettings.defaults());
        assertThat(a.interleaving()).isFalse(); // usrsctp does not offer I-DATA here: plain DATA it is
        assertThat(a.partialReliability()).isTrue();
        Random r = new Random(3);
        List<byte[]> sent = new ArrayList<>();
        int[] sizes = {1, 2, 1171, 1172, 1173, 5000, 65_536, 200_000};
        for (int size : sizes) {
            byte[] m = new byte[size];
            r.nextBytes(m);
            sent.add(m);
            a.send(1, 53, m, SendOptions.RELIABLE);
        }
        for (int i = 0; i < 200; i++) {
            byte[] m = new byte[1 + r.nextInt(3000)];
            r.nextBytes(m);
            sent.add(m);
            a.send(2, 51, m, SendOptions.RELIABLE);
        }
        assertThat(run(() -> messages().size() == sent.size(), 20_000)).isTrue();
        List<SctpEvent.Message> got = messages();
        List<byte[]> stream1 = got.stream().filter(m -> m.stream() == 1).map(SctpEvent.Message::data).toList();
        List<byte[]> stream2 = got.stream().filter(m -> m.stream() == 2).map(SctpEvent.Message::data).toList();
        assertThat(stream1).containsExactlyElementsOf(sent.subList(0, sizes.length));
        assertThat(stream2).containsExactlyElementsOf(sent.subList(sizes.length, sent.size()));
        assertThat(got).allSatisfy(m -> assertThat(m.ppid()).isEqualTo(m.stream() == 1 ? 53 : 51));
        assertThat(a.stats().badChecksums()).isZero();
        a.shutdown();
        assertThat(run(() -> a.state() == SctpState.CLOSED, 10_000)).isTrue();
        assertThat(us.events()).anySatisfy(e -> assertThat(e).isEqualTo(new SctpEvent.Closed("shut down", true)));
    }

    /**
     * Path MTU discovery against usrsctp: our HEARTBEAT+PAD probe of 8,192 bytes crosses loopback UDP, usrsctp
     * answers it with a HEARTBEAT-ACK, and our packets grow to that size; messages still come back intact.
     */
    @Test
    void ourPathMtuProbeIsAnsweredAndLargePacketsPass() throws Exception {
        SctpAssociation a = javaClient(SctpSettings.defaults().withMaxMtu(8192));
        assertThat(run(() -> a.pathMtu() == 8192, 10_000)).as("PLPMTU rose: " + a.stats()).isTrue();
        assertThat(a.stats().pmtuProbesConfirmed()).isEqualTo(1);
        us.record(true);
        Random r = new Random(5);
        List<byte[]> sent = new ArrayList<>();
        for (int size : new int[] {1, 1172, 8000, 8192, 30_000, 200_000}) {
            byte[] m = new byte[size];
            r.nextBytes(m);
            sent.add(m);
            a.send(1, 53, m, SendOptions.RELIABLE);
        }
        assertThat(run(() -> messages().size() == sent.size(), 20_000)).isTrue();
        assertThat(messages().stream().map(SctpEvent.Message::data).toList()).containsExactlyElementsOf(sent);
        assertThat(a.pathMtu()).isEqualTo(8192);
        assertThat(us.sent().stream().filter(p -> p.value().length >= 8192).count())
                .as("DATA packets of 8,192 bytes").isGreaterThan(10);
        assertThat(a.stats().pmtuBlackHoles()).isZero();
        assertThat(peerLines).doesNotContain("CLOSED");
    }

    @Test
    void theyConnectToUs() throws Exception {
        SctpAssociation a = new SctpAssociation(SctpSettings.defaults());
        pump = EnginePump.loopback();
        us = pump.add(a); // answers the peer's INIT where it came from
        startPeer("client", us.address().port());
        assertThat(run(() -> a.state() == SctpState.ESTABLISHED, 10_000)).isTrue();
        a.send(3, 51, "ping".getBytes(), SendOptions.RELIABLE_UNORDERED);
        assertThat(run(() -> messages().size() == 1, 10_000)).isTrue();
        assertThat(messages().getFirst().data()).isEqualTo("ping".getBytes());
        assertThat(messages().getFirst().unordered()).isTrue();
    }

    @Test
    void streamResetRoundTrip() throws Exception {
        SctpAssociation a = javaClient(SctpSettings.defaults());
        a.send(5, 51, "before".getBytes(), SendOptions.RELIABLE);
        a.send(6, 51, "other".getBytes(), SendOptions.RELIABLE);
        assertThat(run(() -> messages().size() == 2, 10_000)).isTrue();
        a.resetStreams(5);
        assertThat(run(() -> us.events().stream().anyMatch(e -> e instanceof SctpEvent.IncomingStreamsReset)
                && us.events().stream().anyMatch(e -> e instanceof SctpEvent.OutgoingStreamsReset)
                && peerLines.contains("RESET in 5"), 10_000)).isTrue();
        assertThat(peerLines).contains("RESET in 5");
        // both directions of stream 5 start over at SSN 0; stream 6 is untouched
        a.send(5, 51, "after".getBytes(), SendOptions.RELIABLE);
        a.send(6, 51, "still".getBytes(), SendOptions.RELIABLE);
        assertThat(run(() -> messages().size() == 4, 10_000)).isTrue();
        assertThat(messages()).extracting(m -> new String(m.data())).containsExactlyInAnyOrder("before", "other",
                "after", "still");
    }

    @Test
    void recoversFromLossAndSkipsAbandonedMessagesWithForwardTsn() throws Exception {
        SctpAssociation a = javaClient(SctpSettings.defaults());
        Random loss = new Random(7);
        us.dropSent(p -> loss.nextDouble() < 0.05);
        us.dropReceived(p -> loss.nextDouble() < 0.05);
        Random r = new Random(9);
        List<byte[]> reliable = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] m = new byte[1 + r.nextInt(4000)];
            r.nextBytes(m);
            m[0] = 1;
            reliable.add(m);
            a.send(1, 53, m, SendOptions.RELIABLE);
            byte[] pr = new byte[1 + r.nextInt(2000)];
            pr[0] = 2;
            a.send(2, 53, pr, new SendOptions(false, 0, -1));
        }
        assertThat(run(() -> messages().stream().filter(m -> m.stream() == 1).count() == reliable.size(),
                60_000)).isTrue();
        assertThat(messages().stream().filter(m -> m.stream() == 1).map(SctpEvent.Message::data).toList())
                .containsExactlyElementsOf(reliable);
        assertThat(a.stats().abandoned()).isPositive();
        assertThat(a.state()).isEqualTo(SctpState.ESTABLISHED);
        assertThat(peerLines).doesNotContain("CLOSED");
        // the partially reliable stream still works after FORWARD-TSNs skipped its losses
        us.dropSent(null);
        us.dropReceived(null);
        long before = messages().stream().filter(m -> m.stream() == 2).count();
        a.send(2, 53, new byte[] {2, 42}, new SendOptions(false, 0, -1));
        // Up to RTO.Max (RFC 9260 section 16): usrsctp echoes reliably, and an echo on this ordered stream still
        // lost when the losses stop holds the later ones behind usrsctp's T3 timer, which doubles from its RTO.Min
        // of 1 s with every expiry (section 6.3.3) and comes down only with an RTT measured on new data (6.3.1):
        // a run of timeouts in the lossy phase leaves it at 8 or 16 s (CI once waited more than 10 s).
        assertThat(run(() -> messages().stream().filter(m -> m.stream() == 2).count() == before + 1, 60_000))
                .as("the message after the losses; %s; usrsctp said %s", a.stats(), peerLines).isTrue();
    }

    /** Our heartbeats (RFC 9260 8.3) on an idle association are answered by usrsctp, and we answer its own. */
    @Test
    void heartbeatsBothWays() throws Exception {
        SctpAssociation a = javaClient(SctpSettings.defaults().withHeartbeatInterval(100));
        command("hb 100");
        us.record(true);
        assertThat(run(() -> a.heartbeats().acknowledged() >= 5, 10_000)).as("acknowledged").isTrue();
        assertThat(a.heartbeats().unanswered()).isZero();
        // usrsctp's HEARTBEATs reach us: our HEARTBEAT-ACKs (chunk type 5) answer them
        assertThat(run(() -> us.sent().stream().filter(p -> (p.value()[12] & 0xFF) == 5).count() >= 3,
                10_000)).as("answers to usrsctp's heartbeats").isTrue();
        assertThat(a.state()).isEqualTo(SctpState.ESTABLISHED);
        assertThat(peerLines).doesNotContain("CLOSED");
    }

    /**
     * usrsctp asks us to reset our outgoing stream 5 (Incoming SSN Reset Request, RFC 6525 5.1.3): we do, so it
     * sees its incoming stream 5 reset, and (as the peer program does for data channels) it resets its own.
     */
    @Test
    void theirIncomingResetRequestIsPerformed() throws Exception {
        SctpAssociation a = javaClient(SctpSettings.defaults());
        a.send(5, 51, "before".getBytes(), SendOptions.RELIABLE);
        assertThat(run(() -> messages().size() == 1, 10_000)).isTrue();
        command("reset-in 5");
        assertThat(run(() -> peerLines.contains("RESET in 5")
                && us.events().stream().anyMatch(e -> e instanceof SctpEvent.IncomingStreamsReset), 10_000))
                .as(peerLines.toString()).isTrue();
        assertThat(us.events()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                SctpEvent.OutgoingStreamsReset.class, r -> assertThat(r.streams()).containsExactly(5)));
        assertThat(peerLines).doesNotContain("RESETDENIED");
        a.send(5, 51, "after".getBytes(), SendOptions.RELIABLE);
        assertThat(run(() -> messages().size() == 2, 10_000)).isTrue();
        assertThat(new String(messages().getLast().data())).isEqualTo("after");
    }

    /** usrsctp resets the whole association (SSN/TSN Reset Request, 5.1.4): performed, and data flows on. */
    @Test
    void theirSsnTsnResetIsPerformed() throws Exception {
        SctpAssociation a = javaClient(SctpSettings.defaults());
        a.send(1, 51, "one".getBytes(), SendOptions.RELIABLE);
        a.send(2, 51, "two".getBytes(), SendOptions.RELIABLE);
        assertThat(run(() -> messages().size() == 2, 10_000)).isTrue();
        run(() -> false, 500); // let the last SACKs settle: nothing of ours in flight
        command("reset-assoc");
        assertThat(run(() -> peerLines.stream().anyMatch(l -> l.startsWith("ASSOCRESET")), 10_000))
                .as(peerLines.toString()).isTrue();
        assertThat(peerLines).contains("ASSOCRESET ok");
        assertThat(us.events()).anyMatch(e -> e instanceof SctpEvent.AssociationReset);
        for (int i = 0; i < 20; i++) {
            a.send(1 + i % 2, 51, ("after" + i).getBytes(), SendOptions.RELIABLE);
        }
        assertThat(run(() -> messages().size() == 22, 10_000)).as(peerLines.toString()).isTrue();
        assertThat(messages().subList(2, 22)).extracting(m -> new String(m.data()))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 20)
                        .mapToObj(i -> "after" + i).toList());
        assertThat(a.state()).isEqualTo(SctpState.ESTABLISHED);
    }
}
