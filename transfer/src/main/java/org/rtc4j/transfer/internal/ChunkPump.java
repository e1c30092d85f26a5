package org.rtc4j.transfer.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCDataChannelState;
import org.rtc4j.transfer.TransferException;

/**
 * Feeds one file channel the chunks a reader thread prepared, from the connection's loop: each bufferedamountlow
 * sends what is ready up to the high-water mark right there, so in the steady state a chunk costs the loop no
 * hand-off (a send from another thread waits for the loop, and so does reading bufferedAmount: two round trips
 * per chunk, each a wake-up of two threads, which on a loaded machine set the pace). The reader's queue is
 * bounded; when the loop ran dry, the reader sends itself, under the same lock so that chunks keep their order,
 * until the channel is above the mark again and the next bufferedamountlow takes over.
 */
final class ChunkPump {

    private static final int QUEUED = 32;

    private final RTCDataChannel channel;
    private final long highWater;
    private final PeerLink link;
    private final ArrayBlockingQueue<byte[]> ready = new ArrayBlockingQueue<>(QUEUED);
    private final ReentrantLock sending = new ReentrantLock();
    /** The loop found nothing to send: the next bufferedamountlow may never come, so the reader sends. */
    private volatile boolean idle = true;

    ChunkPump(RTCDataChannel channel, long highWater, PeerLink link) {
        this.channel = channel;
        this.highWater = highWater;
        this.link = link;
        channel.bufferedAmountLowThreshold(highWater / 2);
        channel.onBufferedAmountLow(this::onLow);
    }

    /** Queues a chunk message (header and data; the pump owns it from here), waiting while the queue is full. */
    void put(byte[] message) throws InterruptedException, TransferException {
        while (!ready.offer(message, 50, TimeUnit.MILLISECONDS)) {
            link.checkBroken();
            kick();
        }
        if (idle) {
            kick();
        }
    }

    /** Waits until every queued chunk was handed to the channel. */
    void flush() throws InterruptedException, TransferException {
        while (!ready.isEmpty()) {
            link.checkBroken();
            kick();
            if (!ready.isEmpty()) {
                Thread.sleep(5);
            }
        }
    }

    /** The connection's loop: never waits for the reader (it holds the lock while it waits for the loop). */
    private void onLow() {
        if (sending.tryLock()) {
            try {
                drain();
            } finally {
                sending.unlock();
            }
        }
    }

    private void kick() {
        sending.lock();
        try {
            drain();
        } finally {
            sending.unlock();
        }
    }

    /** Sends what is ready while the channel holds no more than the mark (with the lock held). */
    private void drain() {
        while (channel.readyState() == RTCDataChannelState.OPEN) {
            if (channel.bufferedAmount() > highWater) {
                idle = false;
                return;
            }
            byte[] message = ready.poll();
            if (message == null) {
                idle = true;
                return;
            }
            channel.send(message);
        }
    }
}
