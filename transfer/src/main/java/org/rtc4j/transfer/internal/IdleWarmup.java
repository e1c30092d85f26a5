package org.rtc4j.transfer.internal;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.rtc4j.PeerPair;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.RTCSettings;
import org.rtc4j.transfer.TransferFile;
import org.slf4j.LoggerFactory;

/**
 * The send path compiled while the sender waits for its receiver (issue 20). A fresh JVM runs the per-packet code
 * of SCTP, DTLS and the socket interpreted or from C1 at first; C2 then compiles it while the data flows, about a
 * CPU second per end on the cores both ends share. A person reading out the code leaves the sender seconds idle:
 * once the files are hashed ({@link IdleHashes}), chunks of the largest file go, as {@link SendSession} sends them,
 * from one connection to another inside this JVM on loopback, and the JIT compiles that code before the receiver
 * comes. It stops as soon as a receiver arrives; what it sends goes through loopback only, never off the machine.
 */
public final class IdleWarmup {

    /** A file smaller than this is sent in well under a second: the warm-up would cost more than it saves. */
    private static final long MIN_FILE = 64L << 20;
    /** Chunk bytes sent ({@code -Drtc4j.transfer.warmupBytes=0}: no warm-up). */
    private static final long BYTES = Long.getLong("rtc4j.transfer.warmupBytes", 128L << 20);

    private static final RTCSettings LOOPBACK = RTCSettings.defaults().withLoopbackCandidates(true)
            .withInterfaceFilter(IdleWarmup::isLoopback);

    private volatile boolean stop;
    private volatile PeerPair pair;
    /** Chunk bytes handed to the channel so far; written by the warm-up's thread only. */
    private volatile long sent;
    /** Completes when the warm-up is over (or was never to run). */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private IdleWarmup() {
    }

    /** Starts the warm-up, if {@code on}, on a daemon thread {@code transfer-warmup} once {@code hashes} are done. */
    public static IdleWarmup start(Manifest manifest, IdleHashes hashes, boolean on) {
        IdleWarmup w = new IdleWarmup();
        TransferFile largest = null;
        for (TransferFile f : manifest.files()) {
            if (largest == null || f.size() > largest.size()) {
                largest = f;
            }
        }
        if (!on || BYTES <= 0 || largest == null || largest.size() < MIN_FILE) {
            w.stop = true;
            w.ended.complete(null);
            return w;
        }
        Path source = manifest.sources().get(largest.index());
        long chunks = largest.size() / FileChunk.SIZE;
        hashes.finished().thenRun(() -> {
            if (w.stop) {
                w.ended.complete(null);
            } else {
                Thread.ofPlatform().daemon().name("transfer-warmup").start(() -> w.run(source, chunks));
            }
        });
        return w;
    }

    /** A receiver arrived (or the sender closes): the connections close, the cores are the transfer's. */
    public void stop() {
        stop = true;
        PeerPair p = pair;
        if (p != null) {
            p.close();
        }
    }

    private void run(Path source, long chunks) {
        try (PeerPair p = PeerPair.open(RTCConfiguration.defaults(), LOOPBACK);
             FileChannel fc = FileChannel.open(source, StandardOpenOption.READ)) {
            pair = p;
            if (stop) {
                return;
            }
            RTCDataChannel ch = p.offerer().createDataChannel("warmup", RTCDataChannelInit.defaults());
            CompletableFuture<Void> open = new CompletableFuture<>();
            Semaphore low = new Semaphore(0);
            ch.bufferedAmountLowThreshold(SendSession.QUEUE_BUDGET / 2);
            ch.onBufferedAmountLow(low::release);
            ch.onOpen(() -> open.complete(null));
            ch.onClose(() -> {
                stop = true;
                open.completeExceptionally(new IllegalStateException("closed"));
                low.release();
            });
            p.answerer().onDataChannel(d -> d.onMessage(m -> { })); // received and dropped
            PeerPair.connect(p.offerer(), p.answerer());
            open.get(10, TimeUnit.SECONDS);
            ByteBuffer buf = ByteBuffer.allocateDirect(FileChunk.HEADER + FileChunk.SIZE);
            for (long c = 0; c * FileChunk.SIZE < BYTES && !stop; c++) {
                buf.clear().position(FileChunk.HEADER);
                long at = (c % chunks) * FileChunk.SIZE;
                while (buf.hasRemaining() && fc.read(buf, at + buf.position() - FileChunk.HEADER) >= 0) {
                    // a full chunk (the file may have shrunk: then what was read)
                }
                buf.flip();
                FileChunk.header(buf, (int) c);
                while (ch.bufferedAmount() > SendSession.QUEUE_BUDGET && !stop) {
                    low.tryAcquire(50, TimeUnit.MILLISECONDS);
                }
                ch.send(buf);
                sent += FileChunk.SIZE;
            }
        } catch (Exception e) {
            // Only the warm-up is lost (a receiver came and closed it, or loopback is unusable here).
            LoggerFactory.getLogger(IdleWarmup.class).debug("transfer warm-up ended", e);
        } finally {
            pair = null;
            ended.complete(null);
        }
    }

    long sent() {
        return sent;
    }

    CompletableFuture<Void> ended() {
        return ended;
    }

    private static boolean isLoopback(NetworkInterface nif) {
        try {
            return nif.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
