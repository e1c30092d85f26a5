package org.rtc4j.transfer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.transfer.TransferException;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChunkWriterTest {

    private static final int S = FileChunk.SIZE;

    @TempDir
    Path tmp;

    /** What a file's writing reported. */
    static final class Record implements ChunkWriter.Events {
        final List<Integer> handled = new CopyOnWriteArrayList<>();
        final List<Long> bytes = new CopyOnWriteArrayList<>();
        final CompletableFuture<byte[]> finished = new CompletableFuture<>();
        final CompletableFuture<TransferException> failed = new CompletableFuture<>();

        @Override
        public void written(int n, long b) {
            handled.add(n);
            bytes.add(b);
        }

        @Override
        public void finished(MessageDigest inOrder, byte[] expected) {
            finished.complete(inOrder == null ? new byte[0] : inOrder.digest());
        }

        @Override
        public void failed(TransferException e) {
            failed.complete(e);
        }
    }

    @ParameterizedTest(name = "direct I/O: {0}")
    @ValueSource(booleans = {true, false})
    void consecutiveChunksGoOutInBatchesAndTheShortTailLeavesTheFileItsSize(boolean direct) throws Exception {
        long size = 40L * S + 1000;
        byte[] data = bytes(size);
        Record r = new Record();
        ChunkWriter w = new ChunkWriter(64, direct, "test-write", false);
        ChunkWriter.Sink sink = open(w, tmp, size, r);
        for (int c = 0; c < FileChunk.count(size); c++) {
            sink.chunk(message(data, c), c);
        }
        sink.end(sha256(data));
        w.start(); // everything is queued: the batches are whole
        byte[] digest = r.finished.get(30, TimeUnit.SECONDS);
        w.close();

        assertThat(r.bytes).containsExactly(16L * S, 16L * S, 8L * S + 1000);
        assertThat(r.handled).containsExactly(16, 32, 41);
        assertThat(sink.direct()).isEqualTo(direct && directIoWorksIn(tmp));
        assertThat(Files.readAllBytes(tmp.resolve("0.part"))).isEqualTo(data);
        assertThat(digest).isEqualTo(sha256(data));
        assertThat(ChunkMap.load(tmp.resolve("0.map"), size).complete()).isTrue();
    }

    @Test
    void chunksOutOfOrderAreWrittenWhereTheyBelongAndTheFileIsHashedFromDisk() throws Exception {
        long size = 9L * S + 4097;
        byte[] data = bytes(size);
        Record r = new Record();
        ChunkWriter w = new ChunkWriter(64, true, "test-write", false);
        ChunkWriter.Sink sink = open(w, tmp, size, r);
        for (int c : new int[] {5, 6, 7, 0, 1, 2, 3, 4, 9, 8, 3}) {
            sink.chunk(message(data, c), c);
        }
        sink.end(sha256(data));
        w.start();
        assertThat(r.finished.get(30, TimeUnit.SECONDS)).isEmpty(); // not in order: the session hashes the file
        w.close();

        // [5, 8), then [0, 5) when 9 does not follow 4, the tail alone (the file's last chunk), 8 at the end;
        // 3 again is counted, not written: with whichever batch the disk thread gives back after it came.
        assertThat(r.bytes).containsExactly(3L * S, 5L * S, 4097L, (long) S);
        assertThat(r.handled).hasSize(4).isSorted().doesNotHaveDuplicates().endsWith(11);
        assertThat(Files.readAllBytes(tmp.resolve("0.part"))).isEqualTo(data);
    }

    @Test
    void aResumedFileGetsOnlyItsMissingChunksAndKeepsTheRest() throws Exception {
        long size = 20L * S;
        byte[] data = bytes(size);
        Path part = tmp.resolve("0.part");
        Files.write(part, data);
        ChunkMap before = ChunkMap.load(tmp.resolve("0.map"), size);
        before.setAll(0, 10);
        before.setAll(12, 20);
        before.save(tmp.resolve("0.map"));
        byte[] onDisk = data.clone();
        java.util.Arrays.fill(onDisk, 10 * S, 12 * S, (byte) 0);
        Files.write(part, onDisk);

        Record r = new Record();
        try (ChunkWriter w = new ChunkWriter(8, true, "test-write")) {
            ChunkMap map = ChunkMap.load(tmp.resolve("0.map"), size);
            ChunkWriter.Sink sink = w.open(part, tmp.resolve("0.map"), map, size, false, r);
            sink.chunk(message(data, 10), 10);
            sink.chunk(message(data, 11), 11);
            sink.end(sha256(data));
            assertThat(r.finished.get(30, TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(Files.readAllBytes(part)).isEqualTo(data);
        assertThat(ChunkMap.load(tmp.resolve("0.map"), size).complete()).isTrue();
    }

    @Test
    void theEndBeforeEveryChunkIsAProtocolError() throws Exception {
        long size = 3L * S;
        byte[] data = bytes(size);
        Record r = new Record();
        try (ChunkWriter w = new ChunkWriter(8, true, "test-write")) {
            ChunkWriter.Sink sink = open(w, tmp, size, r);
            sink.chunk(message(data, 0), 0);
            sink.end(sha256(data));
            TransferException e = r.failed.get(30, TimeUnit.SECONDS);
            assertThat(e.reason()).isEqualTo(TransferException.Reason.PROTOCOL);
        }
        assertThat(r.finished).isNotDone();
        assertThat(ChunkMap.load(tmp.resolve("0.map"), size).presentBytes()).isEqualTo(S);
    }

    @Test
    void aWriteErrorFailsTheFileWithItsCauseAndMarksNothing() throws Exception {
        assertThat(Path.of("/dev/full")).as("Linux's /dev/full, which refuses every write").isWritable();
        long size = 4L * S;
        byte[] data = bytes(size);
        Record r = new Record();
        try (ChunkWriter w = new ChunkWriter(8, true, "test-write")) {
            ChunkWriter.Sink sink = w.open(Path.of("/dev/full"), tmp.resolve("0.map"),
                    ChunkMap.load(tmp.resolve("0.map"), size), size, true, r);
            for (int c = 0; c < 4; c++) {
                sink.chunk(message(data, c), c);
            }
            sink.end(sha256(data));
            TransferException e = r.failed.get(30, TimeUnit.SECONDS);
            assertThat(e.reason()).isEqualTo(TransferException.Reason.LOCAL);
            assertThat(e.getMessage()).startsWith("cannot write /dev/full: ").contains("No space left");
        }
        assertThat(r.finished).isNotDone();
        assertThat(r.bytes).isEmpty();
        assertThat(ChunkMap.load(tmp.resolve("0.map"), size).presentBytes()).isZero();
    }

    @Test
    void aFileInSharedMemoryIsWrittenWhetherOrNotItTakesDirectIo() throws Exception {
        assertThat(Path.of("/dev/shm")).as("Linux's shared memory file system").isDirectory().isWritable();
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "chunk-writer-test");
        try {
            long size = 17L * S + 3;
            byte[] data = bytes(size);
            Record r = new Record();
            try (ChunkWriter w = new ChunkWriter(8, true, "test-write")) {
                ChunkWriter.Sink sink = open(w, dir, size, r);
                for (int c = 0; c < FileChunk.count(size); c++) {
                    sink.chunk(message(data, c), c);
                }
                sink.end(sha256(data));
                assertThat(r.finished.get(30, TimeUnit.SECONDS)).isEqualTo(sha256(data));
            }
            assertThat(Files.readAllBytes(dir.resolve("0.part"))).isEqualTo(data);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void aFullQueueHoldsTheHandingThreadUntilTheDiskCatchesUp() throws Exception {
        long size = 6L * S;
        byte[] data = bytes(size);
        Record r = new Record();
        ChunkWriter w = new ChunkWriter(2, true, "test-write", false);
        ChunkWriter.Sink sink = open(w, tmp, size, r);
        AtomicInteger handed = new AtomicInteger();
        Thread loop = Thread.ofPlatform().start(() -> {
            for (int c = 0; c < 6; c++) {
                sink.chunk(message(data, c), c);
                handed.incrementAndGet();
            }
            sink.end(sha256(data));
        });
        while (loop.getState() != Thread.State.TIMED_WAITING && loop.isAlive()) {
            Thread.onSpinWait();
        }
        assertThat(loop.isAlive()).isTrue();
        assertThat(handed.get()).isEqualTo(2);
        w.start();
        loop.join();
        assertThat(r.finished.get(30, TimeUnit.SECONDS)).isEqualTo(sha256(data));
        w.close();
        assertThat(Files.readAllBytes(tmp.resolve("0.part"))).isEqualTo(data);
    }

    @Test
    void moreFilesThanBatchBuffersEachHoldingAPartialBatchAllArrive() throws Exception {
        // A file's whole batch is written and reported first, its buffer back by the writer's own turn (not by
        // a wait for the disk); then more files than there are buffers each start a batch, and the last must take one from
        // the oldest (which goes to the disk) instead of waiting for a write nobody started.
        int files = ChunkWriter.BATCH_BUFFERS + 2;
        long size = 2L * S;
        Record first = new Record();
        byte[] whole = bytes((long) ChunkWriter.BATCH_CHUNKS * S);
        try (ChunkWriter w = new ChunkWriter(64, true, "test-write")) {
            ChunkWriter.Sink a = w.open(tmp.resolve("a.part"), tmp.resolve("a.map"),
                    ChunkMap.load(tmp.resolve("a.map"), whole.length), whole.length, true, first);
            for (int c = 0; c < ChunkWriter.BATCH_CHUNKS; c++) {
                a.chunk(message(whole, c), c);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!first.handled.contains(ChunkWriter.BATCH_CHUNKS) && System.nanoTime() < deadline) {
                Thread.sleep(5); // written and reported, the writer then idle
            }
            assertThat(first.handled).containsExactly(ChunkWriter.BATCH_CHUNKS);

            byte[][] data = new byte[files][];
            Record[] records = new Record[files];
            ChunkWriter.Sink[] sinks = new ChunkWriter.Sink[files];
            for (int i = 0; i < files; i++) {
                data[i] = bytes(size + i);
                records[i] = new Record();
                sinks[i] = w.open(tmp.resolve(i + ".part"), tmp.resolve(i + ".map"),
                        ChunkMap.load(tmp.resolve(i + ".map"), data[i].length), data[i].length, true, records[i]);
                sinks[i].chunk(message(data[i], 0), 0);
            }
            for (int i = 0; i < files; i++) {
                for (int c = 1; c < FileChunk.count(data[i].length); c++) {
                    sinks[i].chunk(message(data[i], c), c);
                }
                sinks[i].end(sha256(data[i]));
            }
            a.end(sha256(whole));
            assertThat(first.finished.get(10, TimeUnit.SECONDS)).isEqualTo(sha256(whole));
            for (int i = 0; i < files; i++) {
                assertThat(records[i].finished.get(10, TimeUnit.SECONDS)).as("file %d", i).isEqualTo(sha256(data[i]));
                assertThat(Files.readAllBytes(tmp.resolve(i + ".part"))).isEqualTo(data[i]);
            }
        }
    }

    @Test
    void aChunkMapMarksARangeInPlace() throws Exception {
        Path file = tmp.resolve("m.map");
        long size = 100L * S;
        ChunkMap m = ChunkMap.load(file, size);
        m.open(file);
        m.setAll(3, 21);
        m.setAll(60, 61);
        m.close();
        ChunkMap back = ChunkMap.load(file, size);
        for (int c = 0; c < 100; c++) {
            assertThat(back.has(c)).as("chunk %d", c).isEqualTo(c >= 3 && c < 21 || c == 60);
        }
    }

    private static boolean directIoWorksIn(Path dir) {
        try (var c = java.nio.channels.FileChannel.open(dir.resolve("probe"), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A new file {@code dir/0.part} with its map beside it, hashed as its chunks come. */
    private static ChunkWriter.Sink open(ChunkWriter w, Path dir, long size, Record r) throws java.io.IOException {
        return w.open(dir.resolve("0.part"), dir.resolve("0.map"), ChunkMap.load(dir.resolve("0.map"), size), size,
                true, r);
    }

    private static byte[] bytes(long size) {
        byte[] b = new byte[(int) size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] message(byte[] data, int c) {
        int len = FileChunk.length(data.length, c);
        ByteBuffer m = ByteBuffer.allocate(FileChunk.HEADER + len);
        m.putInt(c).put(data, c * S, len);
        return m.array();
    }

    private static byte[] sha256(byte[] data) {
        return Hashes.sha256().digest(data);
    }
}
