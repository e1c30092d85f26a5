package org.rtc4j.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.rtc4j.transfer.internal.IdleHashes;
import org.rtc4j.transfer.internal.IdleWarmup;
import org.rtc4j.transfer.internal.Manifest;
import org.rtc4j.transfer.internal.SendSession;

/**
 * Sends files and directories to one receiver that knows the code.
 *
 * <pre>{@code
 * try (var sender = TransferSender.start(List.of(Path.of("photos")),
 *         new SignalingRendezvous(URI.create("ws://localhost:8080/ws")), TransferOptions.defaults(), listener)) {
 *     System.out.println("code: " + sender.code());   // 7-pepper-tiger: read it out to the receiver
 *     TransferResult r = sender.await();              // until a receiver has every file, verified
 * }
 * }</pre>
 *
 * <p>The sender waits at its code until a receiver got everything, the code expired
 * ({@link TransferOptions#codeLifetime()}), or {@link TransferOptions#maxWrongCodes()} receivers gave a wrong
 * code. A receiver that breaks off (network change, killed) may come back with the same code: only the chunks
 * it lacks are sent again.
 */
public final class TransferSender implements AutoCloseable {

    private final Manifest manifest;
    private final Rendezvous rendezvous;
    private final TransferOptions options;
    private final TransferListener listener;
    private final TransferCode code;
    /** Receivers arriving ({@link #ARRIVED}) and the rendezvous lost (its reason), in order. */
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private static final String ARRIVED = "";
    private final Map<Integer, byte[]> hashes = new ConcurrentHashMap<>();
    /** Hashes the files while no receiver is there yet. */
    private final IdleHashes idleHashes;
    /** Then compiles the send path, until a receiver comes. */
    private final IdleWarmup idleWarmup;
    private volatile SendSession session;

    private TransferSender(Manifest manifest, Rendezvous rendezvous, TransferOptions options,
                           TransferListener listener) throws TransferException {
        this.manifest = manifest;
        this.rendezvous = rendezvous;
        this.options = options;
        this.listener = listener;
        int nameplate = rendezvous.claim(new Rendezvous.Listener() {
            @Override
            public void peerArrived() {
                events.add(ARRIVED);
            }

            @Override
            public void peerLeft() {
                SendSession s = session;
                if (s != null) {
                    s.abort("the receiver left");
                }
            }

            @Override
            public void message(String text) {
                SendSession s = session;
                if (s != null) {
                    s.deliver(text);
                }
            }

            @Override
            public void lost(String reason) {
                peerLeft();
                events.add(reason);
            }
        });
        this.code = TransferCode.generate(nameplate, new SecureRandom());
        this.idleHashes = IdleHashes.start(manifest);
        this.idleWarmup = IdleWarmup.start(manifest, idleHashes, options.idleWarmup());
    }

    /** Lists the files ({@code paths}: files and directories) and claims a code at the rendezvous. */
    public static TransferSender start(List<Path> paths, Rendezvous rendezvous, TransferOptions options,
                                       TransferListener listener) throws TransferException, IOException {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        Manifest manifest = Manifest.of(HexFormat.of().formatHex(id), paths);
        return new TransferSender(manifest, rendezvous, options, listener);
    }

    /** The code the receiver needs. */
    public TransferCode code() {
        return code;
    }

    /** The files, in their order. */
    public List<TransferFile> files() {
        return manifest.files();
    }

    /** Waits until a receiver has every file (verified), and returns what the last connection did. */
    public TransferResult await() throws TransferException, InterruptedException {
        long deadline = System.nanoTime() + options.codeLifetime().toNanos();
        int wrongCodes = 0;
        listener.status("waiting for the receiver");
        while (true) {
            long left = deadline - System.nanoTime();
            String event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                throw new TransferException(TransferException.Reason.CODE_CLOSED,
                        "the code expired after " + options.codeLifetime().toMinutes() + " minutes");
            }
            if (!event.equals(ARRIVED)) {
                throw new TransferException(TransferException.Reason.RENDEZVOUS, event + "; the code is void");
            }
            idleWarmup.stop();
            session = new SendSession(manifest, code, rendezvous, options, listener, hashes, idleHashes);
            try {
                return session.run();
            } catch (TransferException e) {
                if (e.reason() == TransferException.Reason.WRONG_CODE
                        || e.reason() == TransferException.Reason.INTERCEPTED) {
                    wrongCodes++;
                    listener.status(e.getMessage());
                    if (wrongCodes >= options.maxWrongCodes()) {
                        throw new TransferException(TransferException.Reason.CODE_CLOSED, wrongCodes
                                + " failed tries of the code: given up (the last: " + e.getMessage() + ")", e);
                    }
                } else if (e.reason() != TransferException.Reason.CONNECTION) {
                    throw e;
                } else {
                    listener.status("the receiver broke off (" + e.getMessage() + "); waiting for it to resume");
                }
            } finally {
                session = null;
            }
        }
    }

    /** Leaves the rendezvous: the code is void. */
    @Override
    public void close() {
        idleHashes.stop();
        idleWarmup.stop();
        rendezvous.close();
    }
}
