package org.rtc4j.transfer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.rtc4j.transfer.TransferFile;

/**
 * The files' SHA-256, worked out while the sender waits for its receiver (a person reading out the code takes
 * seconds; 1 GB hashes in about 0.6 s), on a thread of its own, in the files' order. Once the data flows it
 * finishes the file it is on and stops: the sender then hashes the rest as it reads them, as it does without it.
 * A hash is kept only with the file's size and modification time from before it was read: a file changed since
 * is read and hashed again once it is sent, so a change made before the send still gives the hash of what went
 * out, and one made during it a mismatch at the receiver.
 */
public final class IdleHashes {

    private static final int READ = 1 << 20;

    private final List<TransferFile> files;
    private final List<Path> sources;
    /** Per file: the hash and the file's state when it was read; absent until done. */
    private final Map<Integer, Done> done = new ConcurrentHashMap<>();
    /** The file being hashed, or null. */
    private volatile Pending pending;
    private volatile boolean stop;
    /** Completes when the thread has hashed every file or stopped. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private record Done(byte[] sha256, long size, FileTime modified) {
    }

    private record Pending(int index, CompletableFuture<Done> result) {
    }

    /**
     * Starts hashing {@code manifest}'s files on a daemon thread {@code transfer-hash}
     * ({@code -Drtc4j.transfer.idleHash=false}: not at all).
     */
    public static IdleHashes start(Manifest manifest) {
        IdleHashes h = new IdleHashes(manifest);
        if (!Boolean.parseBoolean(System.getProperty("rtc4j.transfer.idleHash", "true"))) {
            h.stop = true; // for measurements: every file hashed as it is sent
            h.finished.complete(null);
            return h;
        }
        Thread.ofPlatform().daemon().name("transfer-hash").start(h::run);
        return h;
    }

    private IdleHashes(Manifest manifest) {
        this.files = manifest.files();
        this.sources = manifest.sources();
    }

    /** The data flows (or the sender closed): finish the file at hand, then stop. */
    public void stop() {
        stop = true;
    }

    /** Completes when hashing is over (every file done, or stopped): the disk and a core are free again. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    /**
     * Whether file {@code index} is hashed here (done or under way): then {@link #sha256} gives its hash and the
     * sender need not hash it as it reads it.
     */
    public boolean covers(int index) {
        Pending p = pending;
        return done.containsKey(index) || p != null && p.index == index;
    }

    /**
     * The hash of file {@code index} (waiting for it if under way), or null if it was not hashed here, failed,
     * or the file changed since it was read (size or modification time).
     */
    public byte[] sha256(int index) throws InterruptedException {
        Pending p = pending; // before done: a file leaves pending only once it is in done
        Done d;
        try {
            d = p != null && p.index == index ? p.result.get() : done.get(index);
        } catch (ExecutionException e) {
            return null;
        }
        if (d == null) {
            return null;
        }
        try {
            Path source = sources.get(index);
            return Files.size(source) == d.size && Files.getLastModifiedTime(source).equals(d.modified)
                    ? d.sha256 : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void run() {
        try {
            hashAll();
        } finally {
            finished.complete(null);
        }
    }

    private void hashAll() {
        ByteBuffer buf = ByteBuffer.allocate(READ);
        MessageDigest md = Hashes.sha256();
        for (int i = 0; i < files.size() && !stop; i++) {
            if (files.get(i).size() == 0) {
                continue;
            }
            Pending p = new Pending(i, new CompletableFuture<>());
            pending = p;
            try {
                p.result.complete(hash(sources.get(i), buf, md));
            } catch (IOException | RuntimeException e) {
                p.result.complete(null); // unreadable now: the sender reads it itself and says why
            }
            Done d = p.result.join();
            if (d != null) {
                done.put(i, d);
            }
            pending = null;
        }
    }

    private static Done hash(Path source, ByteBuffer buf, MessageDigest md) throws IOException {
        long size = Files.size(source);
        FileTime modified = Files.getLastModifiedTime(source);
        byte[] sha256 = Hashes.of(source, buf, md);
        // Changed while read: no hash (the sender's pass hashes what it sends).
        if (Files.size(source) != size || !Files.getLastModifiedTime(source).equals(modified)) {
            return null;
        }
        return new Done(sha256, size, modified);
    }
}
