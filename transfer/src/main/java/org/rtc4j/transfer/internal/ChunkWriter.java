package org.rtc4j.transfer.internal;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.rtc4j.transfer.TransferException;

/**
 * Writes received chunks into their partial files and hashes them, on a platform thread of its own: neither the
 * copy into the file nor SHA-256 runs on the connection's loop, which only hands over each chunk's array (no
 * copy) through a bounded queue. The writes wait for the disk on a second thread, {@code transfer-disk}, while
 * the first copies and hashes the next batch: a direct 1 MiB write waits about 0.8 ms for this machine's disk,
 * 0.8 s per GB in which the writer could not hash; a disk slower than the hash now costs its own time only.
 *
 * <p>Writes go around the page cache (O_DIRECT) in aligned batches of up to {@link #BATCH_CHUNKS} consecutive
 * chunks: on a VM that hands freed memory back to its host, writing 1 GB into the page cache cost 2.3 s of
 * kernel time (a host fault per page), against 0.1 s with 1 MiB direct writes; a real machine saves the copy
 * and keeps 1 GB of other files in its cache. A batch is written when full, when the file's next chunk is not
 * the following one (a resume, several ranges), at the file's end, and when the queue stayed empty for
 * {@link #IDLE_MS}, so that progress and the counts keep flowing on a slow network. The sender's window (64
 * chunks) is larger than two batches, so full batches alone keep it moving. The file's last chunk is padded to
 * the block size and the file truncated after it. Where the file system refuses O_DIRECT (at the open or the
 * first write), or with {@code -Drtc4j.transfer.directIo=false}, the same batches go through the page cache.
 *
 * <p>A chunk's bit in the {@link ChunkMap} is set only once its batch is written, so a receiver killed half way
 * asks again for exactly what did not reach the file.
 */
public final class ChunkWriter implements AutoCloseable {

    /** Chunks per write: 1 MiB, where direct writes ran at 1.4 GB/s here (64 KiB ones: 600 MB/s). */
    static final int BATCH_CHUNKS = 16;
    /** Batch buffers (direct memory, 1 MiB each); a file beyond them takes the oldest file's, written first. */
    static final int BATCH_BUFFERS = 4;
    /**
     * How long the queue stays empty before partial batches are written. A writer faster than the network finds
     * it empty between most chunks: flushing then wrote 64 KiB at a time and counted back every chunk (1 GB:
     * receiver 6.0 CPU s, sender's loop 2.6 s, against 4.6 and 1.6 before the writer).
     */
    static final long IDLE_MS = 10;
    /** The system property that turns direct I/O off ({@code false}). */
    public static final String DIRECT_PROPERTY = "rtc4j.transfer.directIo";

    /** What a file's writing reports, on the writer's thread. */
    public interface Events {
        /** {@code handled} chunks of this file are written (or were there already); {@code bytes} more of them. */
        void written(int handled, long bytes);

        /** Every chunk is written and the file closed; {@code inOrder}: its SHA-256 if it came whole and in order. */
        void finished(MessageDigest inOrder, byte[] expected);

        /** The file could not be written (its files are closed); nothing more comes for it. */
        void failed(TransferException e);
    }

    private sealed interface Item permits Chunk, End, Closed, Stop, Wake { }

    private record Chunk(Sink sink, byte[] message, int index) implements Item { }

    private record End(Sink sink, byte[] expected) implements Item { }

    private record Closed(Sink sink) implements Item { }

    private record Stop() implements Item { }

    /** A batch came back from the disk thread (the writer may be waiting for items). */
    private record Wake() implements Item { }

    private static final Wake WAKE = new Wake();

    private final BlockingQueue<Item> queue;
    private final boolean direct;
    private final Thread thread;
    private final Disk disk = new Disk();
    private volatile boolean closed;
    // The writer thread's own state:
    private final ArrayDeque<Batch> free = new ArrayDeque<>();
    private int batches;
    /** Files holding a batch buffer, oldest first. */
    private final LinkedHashSet<Sink> batched = new LinkedHashSet<>();
    /** Files whose channels are open. */
    private final List<Sink> live = new ArrayList<>();

    /**
     * @param capacity chunks that may wait for the disk; beyond that the handing thread waits (a sender that
     *                 keeps to its window never gets there)
     * @param direct whether to try direct I/O
     */
    public ChunkWriter(int capacity, boolean direct, String name) {
        this(capacity, direct, name, true);
    }

    /** Tests: a writer whose thread starts at {@link #start()} (items queued before it come as one run). */
    ChunkWriter(int capacity, boolean direct, String name, boolean start) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.direct = direct;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        if (start) {
            start();
        }
    }

    void start() {
        disk.thread.start();
        thread.start();
    }

    /** Whether direct I/O is on unless {@link #DIRECT_PROPERTY} is {@code false}. */
    public static boolean directByDefault() {
        return !"false".equals(System.getProperty(DIRECT_PROPERTY));
    }

    /** A file to write: {@code part} (made if missing) with its map kept current at {@code mapFile}. */
    public Sink open(Path part, Path mapFile, ChunkMap map, long size, boolean hash, Events events) {
        return new Sink(part, mapFile, map, size, hash, events);
    }

    /** Stops the thread once it wrote what it holds (batches are written, files closed); later chunks are dropped. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        while (thread.isAlive() && !queue.offer(new Stop(), 50, TimeUnit.MILLISECONDS)) {
            // the writer drains the queue: room comes
        }
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    private void hand(Item item) {
        try {
            while (!closed && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // the disk is behind the network beyond the window: the sender overran it (or many files at once)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One file. Its methods are called on one thread (the connection's loop), in the order of the messages. */
    public final class Sink {
        private final Path part;
        private final Path mapFile;
        private final ChunkMap map;
        private final long size;
        private final Events events;
        // On the writer's thread, and on the disk thread while it writes a batch of the file (out and its
        // direct I/O state: set when the file opens, changed by the disk thread only):
        private FileChannel out;
        private volatile boolean outDirect;
        private boolean directWorked;
        private int align = 1;
        private MessageDigest md;
        private int nextInOrder;
        private int handled;
        private boolean done;
        private Batch batch;
        /** Batches at the disk thread, oldest first. */
        private final ArrayDeque<Batch> writing = new ArrayDeque<>();

        private Sink(Path part, Path mapFile, ChunkMap map, long size, boolean hash, Events events) {
            this.part = part;
            this.mapFile = mapFile;
            this.map = map;
            this.size = size;
            this.events = events;
            this.md = hash ? Hashes.sha256() : null;
        }

        /** A checked chunk message ({@link FileChunk}): the array is the writer's from here on. */
        public void chunk(byte[] message, int index) {
            hand(new Chunk(this, message, index));
        }

        /** The sender's end of the file with its SHA-256: written out, checked complete, closed. */
        public void end(byte[] expected) {
            hand(new End(this, expected));
        }

        /** The file's channel closed: what is held is written and the file closed. */
        public void closed() {
            hand(new Closed(this));
        }

        /** Whether the file is written through direct I/O (once its first chunk came). */
        boolean direct() {
            return outDirect;
        }
    }

    /** Consecutive chunks of one file in an aligned direct buffer. */
    private static final class Batch {
        final ByteBuffer buf;
        int first;
        int count;
        // While at the disk thread, and its outcome:
        Sink sink;
        int len;
        IOException error;

        boolean holds(int c) {
            return c >= first && c < first + count;
        }

        Batch() {
            // Aligned to a chunk: any block size that divides a chunk (those direct I/O is used with) divides it.
            buf = ByteBuffer.allocateDirect((BATCH_CHUNKS + 1) * FileChunk.SIZE).alignedSlice(FileChunk.SIZE);
        }

        /** The disk thread's stop mark (no buffer). */
        Batch(int none) {
            buf = ByteBuffer.allocate(none);
        }
    }

    private void run() {
        try {
            while (next()) {
                // one item per pass
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            for (Sink s : List.copyOf(live)) {
                finish(s);
            }
            queue.clear();
            disk.stop();
            ThreadCpu.report();
        }
    }

    /**
     * Takes back what the disk thread wrote, then handles the next item; false at the stop. A method of its own,
     * not the body of {@link #run}'s loop: the JIT compiles a method after a few hundred calls, a loop body only
     * on-stack after some 60,000 passes, more than a 1 GB file's 15,000 chunks (it ran interpreted throughout).
     */
    private boolean next() throws InterruptedException {
        for (Batch b; (b = disk.poll()) != null; ) {
            written(b);
        }
        Item item = queue.poll();
        if (item == null) {
            item = queue.poll(IDLE_MS, TimeUnit.MILLISECONDS);
        }
        if (item == null) {
            flushAll(); // the queue ran dry: partial batches out, so that progress and counts keep flowing
            item = queue.take(); // or the disk thread's wake-up once it wrote them
        }
        switch (item) {
            case Chunk c -> chunk(c.sink, c.message, c.index);
            case End e -> end(e.sink, e.expected);
            case Closed c -> finish(c.sink);
            case Wake w -> {
                // this loop's next pass takes back what the disk thread wrote
            }
            case Stop s -> {
                return false;
            }
        }
        return true;
    }

    private void chunk(Sink s, byte[] message, int c) {
        if (s.done) {
            return;
        }
        try {
            if (s.out == null) {
                openFiles(s);
            }
            Batch b = s.batch;
            if (s.map.has(c) || b != null && b.holds(c) || atDisk(s, c)) {
                s.handled++; // there already (a sender that sends a chunk twice): counted, not written
                if (b == null) {
                    s.events.written(s.handled, 0);
                }
                return;
            }
            int len = message.length - FileChunk.HEADER;
            if (s.md != null && c == s.nextInOrder) {
                s.md.update(message, FileChunk.HEADER, len);
                s.nextInOrder++;
            } else {
                s.md = null;
            }
            if (b != null && c != b.first + b.count) {
                flush(s);
            }
            if (s.batch == null) {
                Batch t = take();
                if (s.done) { // failed by a write that came back meanwhile
                    free.push(t);
                    return;
                }
                batched.add(s);
                s.batch = t;
                s.batch.first = c;
                s.batch.count = 0;
                s.batch.buf.clear();
            }
            s.batch.buf.put(message, FileChunk.HEADER, len);
            s.batch.count++;
            if (s.batch.count == BATCH_CHUNKS || c == FileChunk.count(s.size) - 1) {
                flush(s);
            }
        } catch (IOException | RuntimeException e) {
            fail(s, e);
        }
    }

    private void end(Sink s, byte[] expected) {
        if (s.done) {
            return;
        }
        try {
            if (s.out == null) {
                openFiles(s);
            }
            flush(s);
            awaitWrites(s);
            if (s.done) {
                return; // a write failed: the file failed with it
            }
            if (!s.map.complete()) {
                fail(s, Json.protocol("the end of " + s.part.getFileName() + " before all its chunks"));
                return;
            }
            finish(s);
            s.events.finished(s.md, expected);
        } catch (IOException | RuntimeException e) {
            fail(s, e);
        }
    }

    private void openFiles(Sink s) throws IOException {
        Files.newByteChannel(s.part, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
        long block = 0;
        if (direct) {
            try {
                block = Files.getFileStore(s.part).getBlockSize();
            } catch (IOException | UnsupportedOperationException e) {
                // a file system that does not say: through the page cache
            }
        }
        if (block > 1 && block <= FileChunk.SIZE && FileChunk.SIZE % block == 0) {
            try {
                s.out = FileChannel.open(s.part, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                s.outDirect = true;
                s.align = (int) block;
            } catch (IOException | UnsupportedOperationException e) {
                // EINVAL from a file system without O_DIRECT: through the page cache
            }
        }
        if (s.out == null) {
            s.out = FileChannel.open(s.part, StandardOpenOption.WRITE);
        }
        live.add(s);
        s.map.open(s.mapFile);
    }

    /** A batch buffer: a free one, a new one, or the first the disk thread gives back. */
    private Batch take() {
        Batch b = free.poll();
        if (b == null && batches < BATCH_BUFFERS) {
            batches++;
            b = new Batch();
        }
        while (b == null) {
            if (disk.pending == 0) {
                flush(batched.iterator().next()); // every buffer is being filled: the oldest goes to the disk
            }
            written(disk.next());
            b = free.poll();
        }
        return b;
    }

    /** Whether chunk {@code c} of {@code s} is in a batch at the disk thread. */
    private static boolean atDisk(Sink s, int c) {
        for (Batch b : s.writing) {
            if (b.holds(c)) {
                return true;
            }
        }
        return false;
    }

    /** Takes back the disk thread's batches until none of {@code s} is out there. */
    private void awaitWrites(Sink s) {
        while (!s.writing.isEmpty()) {
            written(disk.next());
        }
    }

    /** Hands the file's batch to the disk thread; {@link #written} marks and reports its chunks once written. */
    private void flush(Sink s) {
        Batch b = s.batch;
        if (b == null) {
            return;
        }
        s.batch = null;
        batched.remove(s);
        if (b.count == 0) {
            free.push(b);
            return;
        }
        b.sink = s;
        s.writing.add(b);
        disk.write(b);
    }

    /** A batch back from the disk thread: its chunks marked in the map (after the data), then reported. */
    private void written(Batch b) {
        Sink s = b.sink;
        b.sink = null;
        s.writing.remove(b);
        free.push(b);
        if (s.done) {
            return; // the file failed meanwhile
        }
        if (b.error != null) {
            fail(s, b.error);
            return;
        }
        try {
            s.map.setAll(b.first, b.first + b.count); // the map never claims a chunk the disk lacks
        } catch (IOException | RuntimeException e) {
            fail(s, e);
            return;
        }
        s.handled += b.count;
        s.events.written(s.handled, b.len);
    }

    private void flushAll() {
        for (Sink s : List.copyOf(batched)) {
            flush(s);
        }
    }

    /** Writes what the file holds and closes it; later items for it are dropped. */
    private void finish(Sink s) {
        if (!s.done) {
            flush(s);
        }
        awaitWrites(s); // a failed write fails the file here, which finishes it (and this ends)
        s.done = true;
        live.remove(s);
        if (s.batch != null) {
            batched.remove(s);
            free.push(s.batch);
            s.batch = null;
        }
        try {
            if (s.out != null) {
                s.out.close();
            }
            s.map.close();
        } catch (IOException e) {
            // the map on disk is current: it is written after each batch
        }
    }

    private void fail(Sink s, Exception e) {
        s.done = true;
        finish(s);
        s.events.failed(e instanceof TransferException t ? t : new TransferException(TransferException.Reason.LOCAL,
                "cannot write " + s.part + ": " + e, e));
    }

    /**
     * The thread that waits for the disk: it writes each batch it is handed, in order, and gives it back with
     * the outcome. Only the writer's thread hands batches and takes them back.
     */
    private final class Disk {
        /** Batches handed and not yet taken back (the writer's thread). */
        int pending;
        private final BlockingQueue<Batch> writes = new ArrayBlockingQueue<>(BATCH_BUFFERS + 1);
        private final BlockingQueue<Batch> written = new ArrayBlockingQueue<>(BATCH_BUFFERS);
        /** Not a batch: stops the thread. */
        private final Batch stop = new Batch(0);
        final Thread thread = Thread.ofPlatform().daemon().name("transfer-disk").unstarted(this::run);

        void write(Batch b) {
            pending++;
            writes.add(b); // never full: there are at most BATCH_BUFFERS batches
        }

        /** A written batch if one came back. */
        Batch poll() {
            Batch b = written.poll();
            if (b != null) {
                pending--;
            }
            return b;
        }

        /** The next written batch, waiting for it (a write takes a disk's time, never forever). */
        Batch next() {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        Batch b = written.take();
                        pending--;
                        return b;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void stop() {
            writes.add(stop);
        }

        private void run() {
            try {
                for (Batch b; (b = writes.take()) != stop; ) {
                    try {
                        writeOut(b.sink, b);
                        b.error = null;
                    } catch (IOException | RuntimeException e) {
                        b.error = e instanceof IOException io ? io : new IOException(e);
                    }
                    written.add(b); // never full: as many places as batches
                    queue.offer(WAKE); // a full queue: the writer is busy and takes the batch before its next item
                }
            } catch (InterruptedException e) {
                // stopping
            }
            ThreadCpu.report();
        }

        /** Writes the batch where its chunks belong, padded for direct I/O and the padding cut off the file. */
        private void writeOut(Sink s, Batch b) throws IOException {
            int len = b.buf.position();
            b.len = len;
            long at = (long) b.first * FileChunk.SIZE;
            int padded = len;
            if (s.outDirect && len % s.align != 0) {
                padded = (len + s.align - 1) / s.align * s.align; // the file's short last chunk
                while (b.buf.position() < padded) {
                    b.buf.put((byte) 0);
                }
            }
            b.buf.flip();
            try {
                while (b.buf.hasRemaining()) {
                    s.out.write(b.buf, at + b.buf.position());
                }
            } catch (IOException e) {
                if (!s.outDirect || s.directWorked) {
                    throw e;
                }
                // A file system that opened with O_DIRECT but refuses its writes (EINVAL): through the page cache.
                s.out.close();
                s.out = FileChannel.open(s.part, StandardOpenOption.WRITE);
                s.outDirect = false;
                b.buf.limit(len).position(0);
                while (b.buf.hasRemaining()) {
                    s.out.write(b.buf, at + b.buf.position());
                }
            }
            s.directWorked = s.outDirect;
            if (padded != len || at + len == s.size && s.out.size() > s.size) {
                s.out.truncate(s.size); // the padding off
            }
        }
    }
}
