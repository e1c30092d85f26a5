package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rtc4j.MessageEvent;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.transfer.Rendezvous;
import org.rtc4j.transfer.TransferCode;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferFile;
import org.rtc4j.transfer.TransferListener;
import org.rtc4j.transfer.TransferOptions;
import org.rtc4j.transfer.TransferResult;

/**
 * The sender's side of one connection with one receiver: connect, prove the code, send the list of files, read
 * which chunks the receiver wants, and send them, several files at a time, each on its own data channel with
 * bufferedAmount backpressure, read from disk a chunk at a time; then the file's SHA-256.
 */
public final class SendSession {

    /**
     * Bytes all file channels together may have queued (the connection's send buffer is 16 MiB): as much as
     * {@code ./rtc4j peer} keeps queued. Each queued chunk is an array held until SCTP acknowledges it; under
     * -Xmx64m, 8 MiB of them outlived young collections and filled the old generation (concurrent cycles).
     */
    static final long QUEUE_BUDGET = 4L << 20;
    private static final Duration STEP = Duration.ofSeconds(60);

    private final Manifest manifest;
    private final TransferCode code;
    private final Rendezvous rendezvous;
    private final TransferOptions options;
    private final TransferListener listener;
    /** SHA-256 of the files, kept across connections (a resumed file is not read twice). */
    private final Map<Integer, byte[]> hashes;
    private final IdleHashes idleHashes;
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>(64);
    private final AtomicLong networkBytes = new AtomicLong();
    /**
     * File channels whose end went out, closed once the receiver verified the file ("ok"). Closing right after
     * the end resets the stream at once; RFC 8831 section 6.7 has the receiver deliver what came before the
     * reset, but Chromium 156 was seen never giving its page the end of an empty file whose channel had opened
     * and been reset within milliseconds (SACKed, so never sent again), and both ends then waited.
     */
    private final Map<Integer, RTCDataChannel> ended = new ConcurrentHashMap<>();
    /**
     * Chunks of a file that may be on their way beyond those the receiver counted back as written, when it
     * asked for that ({@code "window"} in its want messages: a page, whose data channel cannot be paused while
     * its worker writes); 0: no limit but bufferedAmount's (a receiver that writes as the chunks come).
     */
    private int window;
    private volatile PeerLink link;
    private volatile boolean aborted;

    public SendSession(Manifest manifest, TransferCode code, Rendezvous rendezvous, TransferOptions options,
                       TransferListener listener, Map<Integer, byte[]> hashes, IdleHashes idleHashes) {
        this.manifest = manifest;
        this.code = code;
        this.rendezvous = rendezvous;
        this.options = options;
        this.listener = listener;
        this.hashes = hashes;
        this.idleHashes = idleHashes;
    }

    /** A rendezvous message from the receiver. */
    public void deliver(String text) {
        inbox.offer(text);
    }

    /** Stops the session (the receiver left). */
    public void abort(String why) {
        aborted = true;
        PeerLink l = link;
        if (l != null) {
            l.breakLink(why);
        } else {
            inbox.offer(Json.message(PeerLink.GONE).toString());
        }
    }

    /** Runs the session to the receiver's {@code done}. */
    public TransferResult run() throws TransferException, InterruptedException {
        link = PeerLink.offer(options, rendezvous, inbox);
        if (aborted) {
            link.close();
            throw PeerLink.connection("the receiver left", null);
        }
        List<Thread> workers = new ArrayList<>();
        try {
            listener.status("connected; checking the code");
            CodeAuth.run(link, CodeAuth.Role.SENDER, code, options.connectTimeout());
            for (JsonNode m : manifest.messages()) {
                link.send(m);
            }
            ConcurrentLinkedQueue<Wanted> queue = wants();
            idleHashes.stop();
            long start = System.nanoTime();
            int wantedFiles = queue.size();
            long[] present = new long[manifest.files().size()];
            boolean[] wanted = new boolean[present.length];
            for (Wanted w : queue) {
                wanted[w.file.index()] = true;
                present[w.file.index()] = w.file.size() - w.bytes();
            }
            for (TransferFile f : manifest.files()) {
                if (!wanted[f.index()]) {
                    present[f.index()] = f.size();
                }
            }
            listener.started(manifest.files(), present);
            CompletableFuture<Void> failed = new CompletableFuture<>();
            Semaphore unverified = new Semaphore(64);
            int parallel = Math.max(1, Math.min(options.parallelFiles(), wantedFiles));
            long perChannel = Math.max(256 * 1024, QUEUE_BUDGET / parallel);
            for (int i = 0; i < parallel; i++) {
                // Platform threads: each chunk's send waits for the loop, and at every such wait a virtual
                // thread's carrier pool looks for work (1 GB: 1.4 CPU s on this thread, 1.9 s on the carriers).
                workers.add(Thread.ofPlatform().daemon().name("transfer-send-" + i).start(() -> {
                    try {
                        for (Wanted w; (w = queue.poll()) != null; ) {
                            unverified.acquire();
                            send(w, perChannel);
                        }
                    } catch (Exception e) {
                        failed.completeExceptionally(e);
                    }
                    ThreadCpu.report();
                }));
            }
            int verified = 0;
            while (true) {
                if (failed.isCompletedExceptionally()) {
                    Throwable t = failed.exceptionNow();
                    throw t instanceof TransferException te ? te
                            : new TransferException(TransferException.Reason.LOCAL, "cannot read: " + t.getMessage(), t);
                }
                JsonNode m = link.poll(Duration.ofMillis(200));
                if (m == null) {
                    continue;
                }
                switch (Json.type(m)) {
                    case "ok" -> {
                        int i = (int) Json.number(m, "i", 0, manifest.files().size() - 1);
                        listener.verified(manifest.files().get(i));
                        RTCDataChannel c = ended.remove(i);
                        if (c != null) {
                            c.close();
                        }
                        unverified.release();
                        verified++;
                    }
                    case "done" -> {
                        if (verified < wantedFiles) {
                            throw Json.protocol("done before every file was verified");
                        }
                        return new TransferResult(manifest.files().size(), manifest.totalBytes(), networkBytes.get(),
                                Duration.ofNanos(System.nanoTime() - start));
                    }
                    default -> throw Json.protocol("unexpected '" + Json.type(m) + "'");
                }
            }
        } catch (TransferException e) {
            link.fail(e);
            throw e;
        } finally {
            workers.forEach(Thread::interrupt);
            link.close();
        }
    }

    /**
     * One file's chunks on their way. The step per chunk is a method, not the body of {@link #send}'s loop: the
     * JIT compiles a method after a few hundred calls, a loop body only on-stack after some 60,000 passes, more
     * than a 1 GB file's 15,000 chunks (it ran interpreted throughout).
     */
    private final class FileOut {
        private final TransferFile f;
        private final ByteBuffer buf;
        private final MessageDigest md;
        private final RTCDataChannel ch;
        private final Window counted;
        private final Semaphore low;
        private final CompletableFuture<Void> open;
        private final long highWater;
        /**
         * bufferedAmount as last read plus what was sent since: read from the loop (a wait for it) only when
         * that passes the high-water mark, not before every chunk.
         */
        private long queued;

        FileOut(TransferFile f, ByteBuffer buf, MessageDigest md, RTCDataChannel ch, Window counted, Semaphore low,
                CompletableFuture<Void> open, long highWater) {
            this.f = f;
            this.buf = buf;
            this.md = md;
            this.ch = ch;
            this.counted = counted;
            this.low = low;
            this.open = open;
            this.highWater = highWater;
        }

        void chunk(FileChannel fc, int c) throws Exception {
            int len = FileChunk.length(f.size(), c);
            buf.clear().limit(FileChunk.HEADER + len).position(FileChunk.HEADER);
            long at = (long) c * FileChunk.SIZE;
            while (buf.hasRemaining()) {
                if (fc.read(buf, at + buf.position() - FileChunk.HEADER) < 0) {
                    throw new TransferException(TransferException.Reason.LOCAL, f.path() + " got shorter while sent");
                }
            }
            if (md != null) {
                md.update(buf.slice(FileChunk.HEADER, len));
            }
            FileChunk.header(buf, c);
            buf.position(0);
            while (queued > highWater && (queued = ch.bufferedAmount()) > highWater) {
                link.checkBroken();
                low.tryAcquire(50, TimeUnit.MILLISECONDS);
            }
            while (window > 0 && counted.sent - counted.written >= window) {
                link.checkBroken();
                if (open.isCompletedExceptionally()) {
                    throw PeerLink.connection("a file channel closed", null);
                }
                counted.more.tryAcquire(50, TimeUnit.MILLISECONDS);
            }
            ch.send(buf);
            counted.sent++;
            queued += buf.limit();
            networkBytes.addAndGet(len);
            listener.progress(f, len);
        }
    }

    /** A file channel's chunks sent and those the receiver counted back as written ({@code {"t":"written","n":16}}). */
    private static final class Window {
        volatile int sent;
        volatile int written;
        final Semaphore more = new Semaphore(0);

        /** On the connection's loop: a count that goes back or past what was sent is ignored. */
        void onMessage(MessageEvent e) {
            if (e.isBinary()) {
                return;
            }
            try {
                JsonNode m = Json.parse(e.text());
                long n = m.path("n").asLong(-1);
                if ("written".equals(Json.type(m)) && n >= written && n <= sent) {
                    written = (int) n;
                    more.release();
                }
            } catch (TransferException ignored) {
                // not a count: only the receiver's own pace suffers
            }
        }
    }

    /** One file the receiver wants, with the chunk ranges it lacks. */
    private record Wanted(TransferFile file, Path source, List<int[]> ranges) {
        long bytes() {
            long n = 0;
            for (int[] r : ranges) {
                for (int c = r[0]; c < r[1]; c++) {
                    n += FileChunk.length(file.size(), c);
                }
            }
            return n;
        }

        boolean whole() {
            int count = FileChunk.count(file.size());
            return count == 0 || ranges.size() == 1 && ranges.get(0)[0] == 0 && ranges.get(0)[1] == count;
        }
    }

    /** Reads the receiver's {@code want} messages: {@code {"t":"want","files":[{"i":3,"r":[[0,16]]}],"last":true}}. */
    private ConcurrentLinkedQueue<Wanted> wants() throws TransferException, InterruptedException {
        ConcurrentLinkedQueue<Wanted> queue = new ConcurrentLinkedQueue<>();
        boolean[] seen = new boolean[manifest.files().size()];
        while (true) {
            JsonNode m = link.next(STEP);
            if (!"want".equals(Json.type(m)) || !m.path("files").isArray()) {
                throw Json.protocol("'" + Json.type(m) + "' where the wanted chunks were expected");
            }
            if (m.has("window")) {
                window = (int) Json.number(m, "window", 1, 1 << 16);
            }
            for (JsonNode w : m.path("files")) {
                int i = (int) Json.number(w, "i", 0, seen.length - 1);
                if (seen[i] || !w.path("r").isArray() || w.path("r").size() > ReceiveSession.MAX_RANGES) {
                    throw Json.protocol("a bad want");
                }
                seen[i] = true;
                TransferFile f = manifest.files().get(i);
                int count = FileChunk.count(f.size());
                List<int[]> ranges = new ArrayList<>();
                int last = 0;
                for (JsonNode r : w.path("r")) {
                    int from = r.path(0).asInt(-1);
                    int to = r.path(1).asInt(-1);
                    if (r.size() != 2 || from < last || to <= from || to > count) {
                        throw Json.protocol("a bad chunk range");
                    }
                    ranges.add(new int[] {from, to});
                    last = to;
                }
                queue.add(new Wanted(f, manifest.sources().get(i), ranges));
            }
            if (m.path("last").asBoolean(false)) {
                return queue;
            }
        }
    }

    private void send(Wanted w, long highWater) throws Exception {
        TransferFile f = w.file;
        RTCDataChannel ch = link.peerConnection().createDataChannel("f" + f.index(), RTCDataChannelInit.defaults());
        Window counted = new Window();
        ch.onMessage(counted::onMessage);
        CompletableFuture<Void> open = new CompletableFuture<>();
        Semaphore low = new Semaphore(0);
        ch.bufferedAmountLowThreshold(highWater / 2);
        ch.onBufferedAmountLow(low::release);
        ch.onOpen(() -> open.complete(null));
        ch.onClose(() -> {
            open.completeExceptionally(PeerLink.connection("file channel closed", null));
            low.release();
            counted.more.release();
        });
        while (!open.isDone()) {
            link.checkBroken();
            try {
                open.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // check the link again
            } catch (java.util.concurrent.ExecutionException e) {
                link.checkBroken();
                throw PeerLink.connection("a file channel did not open", e);
            }
        }
        MessageDigest md = w.whole() && !hashes.containsKey(f.index()) && !idleHashes.covers(f.index())
                ? Hashes.sha256() : null;
        // Direct: a read into a heap buffer goes through a direct one of the JDK's and is copied again.
        ByteBuffer buf = ByteBuffer.allocateDirect(FileChunk.HEADER + FileChunk.SIZE);
        FileOut out = new FileOut(f, buf, md, ch, counted, low, open, highWater);
        try (FileChannel fc = FileChannel.open(w.source, StandardOpenOption.READ)) {
            for (int[] r : w.ranges) {
                for (int c = r[0]; c < r[1]; c++) {
                    out.chunk(fc, c);
                }
            }
        }
        byte[] hash = md != null ? md.digest() : hashes.get(f.index());
        if (hash == null) {
            hash = idleHashes.sha256(f.index());
        }
        if (hash == null) {
            hash = Hashes.of(w.source);
        }
        hashes.put(f.index(), hash);
        ended.put(f.index(), ch); // before the end: its "ok" may come back at once
        ch.send(Json.message("end").put("sha256", Json.HEX.formatHex(hash)).toString());
    }
}
