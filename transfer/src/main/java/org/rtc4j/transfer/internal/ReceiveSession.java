package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.rtc4j.MessageEvent;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.transfer.Rendezvous;
import org.rtc4j.transfer.TransferCode;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferFile;
import org.rtc4j.transfer.TransferListener;
import org.rtc4j.transfer.TransferOptions;
import org.rtc4j.transfer.TransferResult;

/**
 * The receiver's side of one connection: connect, prove the code, read and check the list of files, ask for
 * the chunks the disk lacks, hand each file's chunks as they come to the {@link ChunkWriter} (its own thread
 * writes and hashes them; the loop only checks them), check its SHA-256 at its end, and when every file is whole
 * move them all into place.
 *
 * <p>Nothing is written before the code is proven. Partial files live in {@code DIR/.rtc4j-transfer-<id>/}
 * under their index (never under a name the sender chose) until every file checked out; only then are they
 * moved to their safe paths, none over an existing file.
 */
public final class ReceiveSession {

    /** Chunk ranges asked for per file; a file torn into more is asked for from its first gap on. */
    static final int MAX_RANGES = 256;
    private static final Duration STEP = Duration.ofSeconds(60);
    /** Files open at once: the sender keeps at most 64 unverified, so more is a sender exhausting our files. */
    private static final int MAX_OPEN_FILES = 128;
    /**
     * Chunks of a file the sender may have on their way beyond those counted back as written ({@code window} in
     * the want message): what waits for the disk stays bounded when the disk is slower than the network.
     * 64 (4 MiB) did not stall 1 GB over loopback into direct 1 MiB writes; {@code -Drtc4j.transfer.window=N}
     * (32 to 1024) for measurements.
     */
    static final int WINDOW = Math.clamp(Integer.getInteger("rtc4j.transfer.window", 64), 2 * ChunkWriter.BATCH_CHUNKS,
            1024);
    /** Chunks waiting for the disk before the loop waits: the window of four files (the default parallelism). */
    private static final int WRITE_QUEUE = 4 * WINDOW;

    private final TransferCode code;
    private final Path dir;
    private final Rendezvous rendezvous;
    private final TransferOptions options;
    private final TransferListener listener;
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>(64);
    /** What the file channels report to the session thread: an index verified, or a failure. */
    private final BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
    private final AtomicLong networkBytes = new AtomicLong();
    private final AtomicInteger openFiles = new AtomicInteger();
    /** Files whose written count changed since it was last sent (at most once each: bounded by the open files). */
    private final BlockingQueue<FileSink> counts = new LinkedBlockingQueue<>();
    private volatile ChunkWriter writer;
    private volatile PeerLink link;
    private volatile Manifest manifest;
    private volatile Path staging;
    private volatile ChunkMap[] maps;
    private volatile boolean[] wanted;

    public ReceiveSession(TransferCode code, Path dir, Rendezvous rendezvous, TransferOptions options,
                          TransferListener listener) {
        this.code = code;
        this.dir = dir.toAbsolutePath().normalize();
        this.rendezvous = rendezvous;
        this.options = options;
        this.listener = listener;
    }

    /** A rendezvous message from the sender. */
    public void deliver(String text) {
        inbox.offer(text);
    }

    /** Stops the session (the sender left). */
    public void abort(String why) {
        PeerLink l = link;
        if (l != null) {
            l.breakLink(why);
        } else {
            inbox.offer(Json.message(PeerLink.GONE).toString());
        }
    }

    public TransferResult run() throws TransferException, InterruptedException {
        link = PeerLink.answer(options, rendezvous, inbox, this::onFileChannel);
        // Counts go back on a thread of their own: a send waits for the loop, which may wait for the writer.
        Thread counter = Thread.ofPlatform().daemon().name("transfer-count").start(this::sendCounts);
        try {
            listener.status("connected; checking the code");
            CodeAuth.run(link, CodeAuth.Role.RECEIVER, code, options.connectTimeout());
            Manifest m = Manifest.receive(link, STEP);
            prepare(m);
            int want = askForChunks(m);
            long start = System.nanoTime();
            for (int done = 0; done < want; ) {
                Object o = outcomes.poll(200, TimeUnit.MILLISECONDS);
                if (o == null) {
                    link.checkBroken();
                } else if (o instanceof TransferException e) {
                    throw e;
                } else {
                    int i = (Integer) o;
                    link.send(Json.message("ok").put("i", i));
                    listener.verified(m.files().get(i));
                    done++;
                }
            }
            link.checkBroken();   // broken off while the last outcomes came in: nothing is moved into place
            moveIntoPlace(m);
            long end = System.nanoTime();
            link.send(Json.message("done"));
            // The sender closes when it read "done"; closing first could lose that message.
            link.awaitPeerClose(Duration.ofSeconds(5));
            return new TransferResult(m.files().size(), m.totalBytes(), networkBytes.get(),
                    Duration.ofNanos(end - start));
        } catch (TransferException e) {
            link.fail(e);
            throw e;
        } catch (IOException e) {
            TransferException t = new TransferException(TransferException.Reason.LOCAL,
                    "cannot write into " + dir + ": " + e, e);
            link.fail(t);
            throw t;
        } finally {
            link.close();
            ChunkWriter w = writer;
            if (w != null) {
                w.close(); // its files closed before a new session opens them again
            }
            counter.interrupt();
        }
    }

    /** Sends each file's written count to its sender ({@code {"t":"written","n":N}}), the latest only. */
    private void sendCounts() {
        try {
            while (true) {
                FileSink f = counts.take();
                f.countQueued.set(false);
                try {
                    f.channel.send("{\"t\":\"written\",\"n\":" + f.handled + "}");
                } catch (RuntimeException e) {
                    // the channel closed: nothing waits for the count
                }
            }
        } catch (InterruptedException e) {
            // the session ended
        }
    }

    /** Checks the list against the disk, then makes the partial files' directory and loads their maps. */
    private void prepare(Manifest m) throws TransferException, IOException {
        long need = 0;
        for (TransferFile f : m.files()) {
            if (Files.exists(SafePaths.resolve(dir, f.path(), false), LinkOption.NOFOLLOW_LINKS)) {
                throw new TransferException(TransferException.Reason.LOCAL, f.path() + " exists already in " + dir
                        + "; not overwritten (move it away, or receive into another --dir)");
            }
            need += f.size();
        }
        for (String d : m.dirs()) {
            SafePaths.resolve(dir, d, false);
        }
        Files.createDirectories(dir);
        Path s = dir.resolve(".rtc4j-transfer-" + m.id());
        if (Files.isSymbolicLink(s)) {
            throw new TransferException(TransferException.Reason.LOCAL, s + " is a symbolic link");
        }
        Files.createDirectories(s);
        ChunkMap[] loaded = new ChunkMap[m.files().size()];
        long[] present = new long[loaded.length];
        for (TransferFile f : m.files()) {
            loaded[f.index()] = ChunkMap.load(s.resolve(f.index() + ".map"), f.size());
            present[f.index()] = loaded[f.index()].presentBytes();
            need -= present[f.index()];
        }
        if (need > Files.getFileStore(s).getUsableSpace()) {
            throw new TransferException(TransferException.Reason.LOCAL, "not enough space in " + dir + " for "
                    + need + " more bytes");
        }
        staging = s;
        writer = new ChunkWriter(WRITE_QUEUE, ChunkWriter.directByDefault(), "transfer-write");
        maps = loaded;
        manifest = m;
        listener.started(m.files(), present);
    }

    /** Sends the {@code want} messages; returns how many files are wanted. */
    private int askForChunks(Manifest m) throws IOException {
        boolean[] w = new boolean[m.files().size()];
        int count = 0;
        ObjectNode msg = Json.message("want").put("window", WINDOW);
        ArrayNode list = msg.putArray("files");
        for (TransferFile f : m.files()) {
            if (Files.exists(staging.resolve(f.index() + ".ok")) && maps[f.index()].complete()) {
                listener.verified(f);
                continue;
            }
            w[f.index()] = true;
            count++;
            ArrayNode ranges = maps[f.index()].missing();
            if (ranges.size() > MAX_RANGES) {
                int from = ranges.get(0).get(0).asInt();
                ranges = Json.MAPPER.createArrayNode();
                ranges.add(Json.MAPPER.createArrayNode().add(from).add(FileChunk.count(f.size())));
            }
            list.addObject().put("i", f.index()).set("r", ranges);
            if (list.size() == Manifest.PER_MESSAGE) {
                link.send(msg.put("last", false));
                msg = Json.message("want").put("window", WINDOW);
                list = msg.putArray("files");
            }
        }
        wanted = w; // from here on, file channels are accepted
        link.send(msg.put("last", true));
        return count;
    }

    private void moveIntoPlace(Manifest m) throws TransferException, IOException {
        for (String d : m.dirs()) {
            SafePaths.directory(dir, d);
        }
        for (TransferFile f : m.files()) {
            Path target = SafePaths.resolve(dir, f.path(), true);
            try {
                Files.move(staging.resolve(f.index() + ".part"), target);
            } catch (FileAlreadyExistsException e) {
                throw new TransferException(TransferException.Reason.LOCAL, target + " appeared meanwhile; not overwritten");
            }
        }
        try (Stream<Path> left = Files.list(staging)) {
            for (Path p : left.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(staging);
    }

    /** A data channel from the sender (the connection's loop): one file's chunks. */
    private void onFileChannel(RTCDataChannel c) {
        boolean[] w = wanted;
        int i = -1;
        if (w != null && c.label().matches("f[0-9]{1,6}")) {
            i = Integer.parseInt(c.label().substring(1));
        }
        if (i < 0 || i >= w.length || !w[i]) {
            c.close();
            outcomes.add(Json.protocol("a data channel '" + c.label().replaceAll("\\p{Cntrl}", "?")
                    + "' that is not a wanted file"));
            return;
        }
        w[i] = false; // one channel per file per connection
        if (openFiles.incrementAndGet() > MAX_OPEN_FILES) {
            c.close();
            outcomes.add(Json.protocol("more than " + MAX_OPEN_FILES + " files open at once"));
            return;
        }
        FileSink sink = new FileSink(manifest.files().get(i), c);
        c.onMessage(sink::onMessage);
        c.onClose(sink::closed);
    }

    /** One file's channel: checks its messages on the connection's loop and hands them to the writer. */
    private final class FileSink implements ChunkWriter.Events {
        private final TransferFile file;
        private final RTCDataChannel channel;
        private final Path part;
        private final ChunkWriter.Sink out;
        private final AtomicBoolean countQueued = new AtomicBoolean();
        private volatile int handled;
        private boolean finished;
        private boolean released;

        FileSink(TransferFile file, RTCDataChannel channel) {
            this.file = file;
            this.channel = channel;
            this.part = staging.resolve(file.index() + ".part");
            ChunkMap map = maps[file.index()];
            this.out = writer.open(part, staging.resolve(file.index() + ".map"), map, file.size(),
                    map.presentBytes() == 0, this);
        }

        void onMessage(MessageEvent e) {
            if (finished) {
                return;
            }
            try {
                if (!e.isBinary()) {
                    end(Json.parse(e.text()));
                    return;
                }
                byte[] b = e.bytes();
                int c = FileChunk.index(b, file.size());
                if (c < 0) {
                    throw Json.protocol("a bad chunk for " + file.path());
                }
                out.chunk(b, c);
            } catch (TransferException t) {
                fail(t);
            }
        }

        private void end(JsonNode m) throws TransferException {
            if (!"end".equals(Json.type(m))) {
                throw Json.protocol("'" + Json.type(m) + "' on a file channel");
            }
            byte[] expected = Json.hex(m, "sha256", 32);
            if (expected.length != 32) {
                throw Json.protocol("a SHA-256 that is not 32 bytes");
            }
            finished = true;
            release();
            out.end(expected);
        }

        @Override
        public void written(int chunks, long bytes) {
            handled = chunks;
            if (bytes > 0) {
                networkBytes.addAndGet(bytes);
                listener.progress(file, bytes);
            }
            if (countQueued.compareAndSet(false, true)) {
                counts.add(this);
            }
        }

        @Override
        public void finished(MessageDigest inOrder, byte[] expected) {
            Thread.ofVirtual().name("transfer-verify").start(() -> verify(inOrder, expected));
        }

        @Override
        public void failed(TransferException t) {
            outcomes.add(t);
        }

        private void verify(MessageDigest inOrder, byte[] expected) {
            try {
                byte[] actual = inOrder != null ? inOrder.digest() : Hashes.of(part);
                if (!MessageDigest.isEqual(actual, expected)) {
                    Files.deleteIfExists(part);
                    Files.deleteIfExists(staging.resolve(file.index() + ".map"));
                    outcomes.add(new TransferException(TransferException.Reason.CORRUPT, "the SHA-256 of "
                            + file.path() + " does not match the sender's; the file was discarded"));
                    return;
                }
                Files.write(staging.resolve(file.index() + ".ok"), new byte[0]);
                outcomes.add(file.index());
            } catch (IOException e) {
                outcomes.add(new TransferException(TransferException.Reason.LOCAL, "cannot read " + part + ": " + e, e));
            }
        }

        /** This file no longer counts as open (once). */
        private void release() {
            if (!released) {
                released = true;
                openFiles.decrementAndGet();
            }
        }

        void closed() {
            release();
            out.closed();
            if (!finished) { // the sender keeps a file's channel open until the file is verified
                finished = true;
                outcomes.add(PeerLink.connection("the channel of " + file.path() + " closed before the file's end",
                        null));
            }
        }

        private void fail(TransferException t) {
            finished = true;
            closed();
            outcomes.add(t);
        }
    }
}
