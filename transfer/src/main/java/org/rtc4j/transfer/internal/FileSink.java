package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.BitSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.rtc4j.MessageEvent;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferFile;
import org.rtc4j.transfer.TransferListener;

/**
 * One file being received. The connection's loop only checks each chunk and hands it over; a virtual thread of
 * the file's own writes it to the partial file, hashes it (while the chunks come in order from the first) and
 * keeps the chunk map, so neither the disk nor SHA-256 holds up the loop. What is on its way is bounded in bytes
 * across all files ({@code budget}): should the writers fall that far behind, the loop waits for them, as it did
 * when it wrote itself, rather than buffering without end.
 */
final class FileSink {

    /** The map is saved every 16 chunks (1 MiB): a receiver killed half way asks for at most that much again. */
    private static final int SAVE_EVERY = 16;
    private static final Object CLOSED = new Object();

    private record End(byte[] sha256) {
    }

    private final TransferFile file;
    private final ChunkMap map;
    private final Path staging;
    private final Path part;
    private final Semaphore budget;
    private final BlockingQueue<Object> outcomes;
    private final Runnable closedFile;
    private final AtomicLong networkBytes;
    private final TransferListener listener;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean released = new AtomicBoolean();
    /** The loop's own record of the chunks handed over (the map is the writer's). */
    private final BitSet queued;
    private volatile boolean finished;
    // The writer's, below.
    private FileChannel out;
    private MessageDigest md;
    private int nextInOrder;
    private int unsaved;

    /**
     * @param closedFile called once, when this file no longer counts as open
     * @param outcomes receives the file's index once verified, or the {@link TransferException} that ended it
     */
    FileSink(TransferFile file, ChunkMap map, Path staging, Semaphore budget, BlockingQueue<Object> outcomes,
             Runnable closedFile, AtomicLong networkBytes, TransferListener listener) {
        this.file = file;
        this.map = map;
        this.staging = staging;
        this.part = staging.resolve(file.index() + ".part");
        this.budget = budget;
        this.outcomes = outcomes;
        this.closedFile = closedFile;
        this.networkBytes = networkBytes;
        this.listener = listener;
        this.queued = map.chunks();
        this.md = map.presentBytes() == 0 ? Hashes.sha256() : null;
        Thread.ofVirtual().name("transfer-write-" + file.index()).start(this::write);
    }

    /** A message on the file's channel (the connection's loop). */
    void onMessage(MessageEvent e) {
        if (finished) {
            return;
        }
        try {
            if (!e.isBinary()) {
                JsonNode m = Json.parse(e.text());
                if (!"end".equals(Json.type(m))) {
                    throw Json.protocol("'" + Json.type(m) + "' on a file channel");
                }
                byte[] expected = Json.hex(m, "sha256", 32);
                if (expected.length != 32) {
                    throw Json.protocol("a SHA-256 that is not 32 bytes");
                }
                finished = true;
                queue.add(new End(expected));
                return;
            }
            byte[] b = e.bytes();
            int c = FileChunk.index(b, file.size());
            if (c < 0) {
                throw Json.protocol("a bad chunk for " + file.path());
            }
            if (queued.get(c)) {
                return;
            }
            queued.set(c);
            while (!budget.tryAcquire(b.length, 50, TimeUnit.MILLISECONDS)) {
                if (finished) {
                    return;
                }
            }
            queue.add(b);
        } catch (TransferException t) {
            fail(t);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        }
    }

    /** The channel closed (the loop): the writer saves what it wrote and stops. */
    void closed() {
        release();
        queue.add(CLOSED);
    }

    private void write() {
        try {
            out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                Object o = queue.take();
                if (o instanceof byte[] b) {
                    try {
                        chunk(b);
                    } finally {
                        budget.release(b.length);
                    }
                } else if (o instanceof End end) {
                    verify(end.sha256);
                    return;
                } else {
                    return;
                }
            }
        } catch (TransferException t) {
            fail(t);
        } catch (IOException | RuntimeException x) {
            fail(new TransferException(TransferException.Reason.LOCAL, "cannot write " + part + ": " + x, x));
        } catch (InterruptedException x) {
            // the session ends
        } finally {
            close();
            for (Object o; (o = queue.poll()) != null; ) {
                if (o instanceof byte[] b) {
                    budget.release(b.length);
                }
            }
        }
    }

    private void chunk(byte[] b) throws IOException {
        int c = FileChunk.index(b, file.size());
        ByteBuffer data = ByteBuffer.wrap(b, FileChunk.HEADER, b.length - FileChunk.HEADER);
        long at = (long) c * FileChunk.SIZE;
        while (data.hasRemaining()) {
            out.write(data, at + data.position() - FileChunk.HEADER);
        }
        if (md != null && c == nextInOrder) {
            md.update(b, FileChunk.HEADER, b.length - FileChunk.HEADER);
            nextInOrder++;
        } else {
            md = null;
        }
        map.set(c);
        networkBytes.addAndGet(b.length - FileChunk.HEADER);
        listener.progress(file, b.length - FileChunk.HEADER);
        if (++unsaved >= SAVE_EVERY) {
            unsaved = 0;
            map.save(staging.resolve(file.index() + ".map"));
        }
    }

    /** The file's end: every chunk there, its SHA-256 the sender's, or it is discarded. */
    private void verify(byte[] expected) throws TransferException, IOException {
        if (!map.complete()) {
            throw Json.protocol("the end of " + file.path() + " before all its chunks");
        }
        release();
        close();
        byte[] actual = md != null ? md.digest() : Hashes.of(part);
        if (!MessageDigest.isEqual(actual, expected)) {
            Files.deleteIfExists(part);
            Files.deleteIfExists(staging.resolve(file.index() + ".map"));
            outcomes.add(new TransferException(TransferException.Reason.CORRUPT, "the SHA-256 of "
                    + file.path() + " does not match the sender's; the file was discarded"));
            return;
        }
        Files.write(staging.resolve(file.index() + ".ok"), new byte[0]);
        outcomes.add(file.index());
    }

    /** Closes the partial file and saves the map of what it holds (after the data: the map never runs ahead). */
    private void close() {
        try {
            if (out != null && out.isOpen()) {
                out.close();
                map.save(staging.resolve(file.index() + ".map"));
            }
        } catch (IOException e) {
            // the map saved before is on disk, at most SAVE_EVERY chunks behind
        }
    }

    /** This file no longer counts as open (once). */
    private void release() {
        if (released.compareAndSet(false, true)) {
            closedFile.run();
        }
    }

    private void fail(TransferException t) {
        finished = true;
        release();
        queue.add(CLOSED);
        outcomes.add(t);
    }
}
