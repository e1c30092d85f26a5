package org.rtc4j.dtls.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * The datagram path Bouncy Castle sees (DESIGN.md, sans-IO protocol cores): received datagrams are queued by
 * the driver; sent ones go to a sink. During the handshake Bouncy Castle's thread blocks on the queue; after
 * it, {@link #setSynchronous} makes an empty queue end the receive call at once ({@link NoInput}), so the
 * driver decrypts records on its own thread as they arrive.
 */
public final class QueueDatagramTransport implements DatagramTransport {

    /** The largest record plus its header: what a datagram may hold during the handshake. */
    private static final int HANDSHAKE_RECEIVE_LIMIT = (1 << 14) + 2048 + RecordFilter.HEADER;

    private final LinkedBlockingQueue<byte[]> inbound;
    private final Consumer<byte[]> sink;
    private final Runnable onClose;
    private volatile int sendLimit;
    private volatile boolean synchronous;
    private volatile boolean closed;
    private int lastLength = 64;

    /** Run when the handshake waits for input after sending: its flight is complete. */
    private final Runnable flightSent;
    /** Datagrams were sent since the handshake last waited (only the handshake's thread reads and writes it). */
    private boolean sentSinceWait;
    /** How long a peer that sent a plaintext fatal alert has to show it is alive (see {@link #alertIgnored}). */
    private final long alertGraceNanos;
    /** The description of the last plaintext fatal alert held back during the handshake, or -1. */
    private volatile short heldAlert = -1;
    /** When it came, and when the last record passed on to Bouncy Castle came (System.nanoTime). */
    private volatile long heldAlertAt;
    private volatile long lastOfferAt;

    public QueueDatagramTransport(int capacity, int mtu, Consumer<byte[]> sink, Runnable onClose,
            Runnable flightSent, long alertGraceMillis) {
        this.alertGraceNanos = TimeUnit.MILLISECONDS.toNanos(alertGraceMillis);
        this.inbound = new LinkedBlockingQueue<>(capacity);
        this.sendLimit = mtu;
        this.sink = sink;
        this.onClose = onClose;
        this.flightSent = flightSent;
    }

    /** Queues a received datagram; false when the queue is full (the datagram is dropped). */
    public boolean offer(byte[] datagram) {
        lastOfferAt = System.nanoTime();
        return inbound.offer(datagram);
    }

    /**
     * A plaintext fatal alert arrived during the handshake and was not passed on: anyone who can send from the
     * peer's address can forge one (RFC 6347 section 4.1.2.7: unauthenticated, it must not end the handshake).
     * A peer that really gave up sends nothing more, so the handshake fails with that alert only if no other
     * record arrives within the grace time; a live peer's next flight or retransmission cancels it.
     */
    public void alertIgnored(short description) {
        heldAlertAt = System.nanoTime();
        heldAlert = description;
    }

    public void setSynchronous() {
        synchronous = true;
    }

    /**
     * The largest datagram Bouncy Castle may write; it sizes handshake fragments and the send limit of
     * application records from it (Bouncy Castle reads it on every call).
     */
    public void setSendLimit(int datagram) {
        sendLimit = datagram;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public int getReceiveLimit() {
        if (!synchronous) {
            return HANDSHAKE_RECEIVE_LIMIT;
        }
        // Bouncy Castle sizes its record buffer from this on each pass: the next datagram, or the last one
        // (records left over from it are read first).
        byte[] next = inbound.peek();
        return Math.max(lastLength, next == null ? 0 : next.length);
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        byte[] d;
        if (synchronous) {
            d = inbound.poll();
            if (d == null) {
                throw NoInput.INSTANCE;
            }
        } else {
            if (closed) {
                throw new InterruptedIOException("DTLS connection closed during the handshake");
            }
            if (sentSinceWait) {
                sentSinceWait = false;
                flightSent.run();
            }
            // 0 means "no limit" to Bouncy Castle; wake up now and then anyway so a close is noticed.
            long waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis <= 0 ? 1000 : waitMillis);
            short alert = heldAlert;
            if (alert >= 0) {
                long since = heldAlertAt;
                if (lastOfferAt - since > 0) {
                    heldAlert = -1;       // the peer spoke after it: the alert was not the peer's last word
                } else {
                    long left = since + alertGraceNanos - System.nanoTime();
                    if (left <= 0 && inbound.isEmpty()) {
                        throw new TlsFatalAlertReceived(alert);
                    }
                    waitNanos = Math.max(1, Math.min(waitNanos, left));
                }
            }
            try {
                d = inbound.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS handshake interrupted");
            }
            if (d == null) {
                if (closed) {
                    throw new InterruptedIOException("DTLS connection closed during the handshake");
                }
                return -1;
            }
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        lastLength = d.length;
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        sink.accept(copy);
        sentSinceWait = !synchronous;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
