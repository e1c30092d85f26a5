package org.rtc4j.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.RTCSettings;
import org.rtc4j.transfer.internal.Hashes;
import org.rtc4j.transfer.internal.ReceiveSession;

/** Two ends in one JVM over loopback, paired by an in-memory rendezvous. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransferTest {

    static final TransferOptions OPTIONS = TransferOptions.defaults()
            .withSettings(RTCSettings.defaults().withLoopbackCandidates(true));

    @TempDir
    Path tmp;

    @Test
    void aDirectoryArrivesWithItsStructureAndMatchingHashes() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/album"));
        Random r = new Random(1);
        for (int size : new int[] {0, 1, 65_535, 65_536, 65_537, 3_000_000}) {
            Files.write(src.resolve("f" + size + ".bin"), bytes(r, size));
        }
        Files.createDirectories(src.resolve("nested/deeper"));
        Files.write(src.resolve("nested/deeper/note.txt"), bytes(r, 1234));
        Files.createDirectories(src.resolve("empty"));
        Path single = Files.write(tmp.resolve("src/single.dat"), bytes(r, 200_000));
        Path out = tmp.resolve("out");

        var hub = new LocalRendezvous.Hub();
        try (var sender = TransferSender.start(List.of(src, single), hub.client(), OPTIONS, new TransferListener() { })) {
            var sent = CompletableFuture.supplyAsync(() -> call(sender::await));
            AtomicLong progress = new AtomicLong();
            TransferResult got = TransferReceiver.receive(sender.code(), out, hub.client(), OPTIONS,
                    new TransferListener() {
                        @Override
                        public void progress(TransferFile file, long bytes) {
                            progress.addAndGet(bytes);
                        }
                    });
            TransferResult put = sent.get(30, TimeUnit.SECONDS);
            assertThat(got.files()).isEqualTo(8);
            assertThat(got.networkBytes()).isEqualTo(got.totalBytes()).isEqualTo(progress.get());
            assertThat(put.networkBytes()).isEqualTo(got.totalBytes());
        }
        assertThat(hashes(out)).isEqualTo(hashes(tmp.resolve("src")));
        assertThat(out.resolve("album/empty")).isEmptyDirectory();
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("album", "single.dat");
        }
    }

    @Test
    void aWrongCodeIsRefusedAndNothingIsWrittenAndTheSenderGivesUpAfterThreeTries() throws Exception {
        Path file = Files.write(tmp.resolve("secret.txt"), "secret".getBytes());
        Path out = tmp.resolve("out");
        var hub = new LocalRendezvous.Hub();
        try (var sender = TransferSender.start(List.of(file), hub.client(), OPTIONS, new TransferListener() { })) {
            var sent = CompletableFuture.supplyAsync(() -> call(sender::await));
            String right = sender.code().words();
            String wrong = right.equals("acid-acid") ? "acorn-acorn" : "acid-acid";
            TransferCode bad = new TransferCode(sender.code().nameplate(), wrong);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> TransferReceiver.receive(bad, out, hub.client(), OPTIONS,
                        new TransferListener() { }))
                        .isInstanceOfSatisfying(TransferException.class, e -> {
                            assertThat(e.reason()).as(e.getMessage()).isEqualTo(TransferException.Reason.WRONG_CODE);
                            assertThat(e.getMessage()).contains("wrong code");
                        });
                assertThat(out).doesNotExist();
            }
            assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(TransferException.class,
                            e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.CODE_CLOSED));
        }
    }

    @ParameterizedTest(name = "with a link: {0}")
    @ValueSource(booleans = {false, true})
    void aServerThatSwapsFingerprintsIsCaughtBeforeAnyFileByte(boolean withLink) throws Exception {
        Path file = Files.write(tmp.resolve("secret.txt"), bytes(new Random(2), 500_000));
        Path out = tmp.resolve("out");
        var hub = new LocalRendezvous.Hub();
        try (var mitm = new Mitm(OPTIONS);
             var sender = TransferSender.start(List.of(file), hub.client(), OPTIONS.withMaxWrongCodes(1),
                     new TransferListener() { })) {
            hub.relay = mitm;
            var sent = CompletableFuture.supplyAsync(() -> call(sender::await));
            TransferCode code = withLink ? linkOnly(sender.code()) : sender.code();
            assertThatThrownBy(() -> TransferReceiver.receive(code, out, hub.client(), OPTIONS,
                    new TransferListener() { }))
                    .isInstanceOfSatisfying(TransferException.class, e -> {
                        assertThat(e.reason()).as(e.getMessage()).isEqualTo(TransferException.Reason.INTERCEPTED);
                        assertThat(e.getMessage()).contains("may be intercepted");
                    });
            assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(TransferException.class,
                            e -> assertThat(e.getMessage()).contains("may be intercepted"));
            assertThat(mitm.binaryRelayed.get()).isZero();
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void aLinkReceivesAndAWrongLinkIsRefusedWithNothingWritten() throws Exception {
        Path file = Files.write(tmp.resolve("photo.jpg"), bytes(new Random(4), 300_000));
        Path out = tmp.resolve("out");
        var hub = new LocalRendezvous.Hub();
        try (var sender = TransferSender.start(List.of(file), hub.client(), OPTIONS, new TransferListener() { })) {
            var sent = CompletableFuture.supplyAsync(() -> call(sender::await));
            TransferCode link = linkOnly(sender.code());
            char c = link.secret().charAt(5);
            TransferCode wrong = new TransferCode(link.nameplate(), null,
                    link.secret().substring(0, 5) + (c == 'A' ? 'B' : 'A') + link.secret().substring(6));
            assertThatThrownBy(() -> TransferReceiver.receive(wrong, out, hub.client(), OPTIONS,
                    new TransferListener() { }))
                    .isInstanceOfSatisfying(TransferException.class, e -> {
                        assertThat(e.reason()).as(e.getMessage()).isEqualTo(TransferException.Reason.WRONG_CODE);
                        assertThat(e.getMessage()).contains("wrong link");
                    });
            assertThat(out).doesNotExist();
            TransferResult got = TransferReceiver.receive(link, out, hub.client(), OPTIONS, new TransferListener() { });
            assertThat(got.files()).isEqualTo(1);
            assertThat(sent.get(30, TimeUnit.SECONDS).files()).isEqualTo(1);
        }
        assertThat(Files.readAllBytes(out.resolve("photo.jpg"))).isEqualTo(Files.readAllBytes(file));
    }

    @ParameterizedTest(name = "direct I/O off: {0}")
    @ValueSource(booleans = {false, true})
    void aReceiveIntoSharedMemoryArrivesWholeWithOrWithoutDirectIo(boolean off) throws Exception {
        Path shm = Path.of("/dev/shm");
        Path out = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "transfer-test").resolve("out") : tmp.resolve("out");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Random r = new Random(5);
        for (int size : new int[] {0, 4097, 65_536, 5_000_001}) {
            Files.write(src.resolve("f" + size + ".bin"), bytes(r, size));
        }
        String before = System.getProperty("rtc4j.transfer.directIo");
        System.setProperty("rtc4j.transfer.directIo", String.valueOf(!off));
        try {
            var hub = new LocalRendezvous.Hub();
            try (var sender = TransferSender.start(List.of(src), hub.client(), OPTIONS, new TransferListener() { })) {
                var sent = CompletableFuture.supplyAsync(() -> call(sender::await));
                TransferResult got = TransferReceiver.receive(sender.code(), out, hub.client(), OPTIONS,
                        new TransferListener() { });
                sent.get(30, TimeUnit.SECONDS);
                assertThat(got.files()).isEqualTo(4);
            }
            assertThat(hashes(out.resolve("src"))).isEqualTo(hashes(src)).hasSize(4);
        } finally {
            if (before == null) {
                System.clearProperty("rtc4j.transfer.directIo");
            } else {
                System.setProperty("rtc4j.transfer.directIo", before);
            }
            if (out.startsWith(shm)) {
                try (Stream<Path> s = Files.walk(out.getParent())) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** What a browser opening the sender's link knows: the nameplate and the secret, parsed from the link. */
    private static TransferCode linkOnly(TransferCode code) {
        TransferCode parsed = TransferCode.parse(code.link("http://127.0.0.1:8080"));
        assertThat(parsed.words()).isNull();
        assertThat(parsed.secret()).isEqualTo(code.secret());
        return parsed;
    }

    @Test
    void aBrokenReceiveResumesAndOnlyTheRestIsSent() throws Exception {
        int size = 20_000_000;
        Path file = Files.write(tmp.resolve("big.bin"), bytes(new Random(3), size));
        Path out = tmp.resolve("out");
        var hub = new LocalRendezvous.Hub();
        try (var sender = TransferSender.start(List.of(file), hub.client(), OPTIONS, new TransferListener() { })) {
            var sent = CompletableFuture.supplyAsync(() -> call(sender::await));
            // First run: broken off once 60 % has arrived (the chunk map on disk may lag by 64 chunks).
            LocalRendezvous first = hub.client();
            AtomicLong firstBytes = new AtomicLong();
            ReceiveSession[] s = new ReceiveSession[1];
            s[0] = new ReceiveSession(sender.code(), out, first, OPTIONS, new TransferListener() {
                @Override
                public void progress(TransferFile f, long bytes) {
                    if (firstBytes.addAndGet(bytes) > size * 6 / 10) {
                        s[0].abort("test: the receiver is killed");
                    }
                }
            });
            first.join(sender.code().nameplate(), new Rendezvous.Listener() {
                @Override
                public void peerArrived() {
                }

                @Override
                public void peerLeft() {
                }

                @Override
                public void message(String text) {
                    s[0].deliver(text);
                }
            });
            assertThatThrownBy(s[0]::run).isInstanceOf(TransferException.class);
            first.close();
            assertThat(out.resolve("big.bin")).doesNotExist();

            TransferResult second = TransferReceiver.receive(sender.code(), out, hub.client(), OPTIONS,
                    new TransferListener() { });
            sent.get(30, TimeUnit.SECONDS);
            assertThat(second.networkBytes()).isLessThanOrEqualTo(size - firstBytes.get() + 64L * 65_536)
                    .isLessThan(size * 3L / 4);
            assertThat(HexFormat.of().formatHex(Hashes.of(out.resolve("big.bin"))))
                    .isEqualTo(HexFormat.of().formatHex(Hashes.of(file)));
            try (Stream<Path> left = Files.list(out)) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly("big.bin");
            }
        }
    }

    static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Every regular file under {@code root} by relative path, with its SHA-256. */
    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), HexFormat.of().formatHex(Hashes.of(p)));
            }
        }
        return m;
    }

    interface Call<T> {
        T call() throws Exception;
    }

    static <T> T call(Call<T> c) {
        try {
            return c.call();
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
