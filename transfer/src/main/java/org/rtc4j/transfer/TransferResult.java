package org.rtc4j.transfer;

import java.time.Duration;

/**
 * What a finished transfer did.
 *
 * @param files files in the transfer
 * @param totalBytes their total size
 * @param networkBytes file bytes that crossed the network in the last (successful) connection: less than
 *                     {@code totalBytes} when a resume found some already there
 * @param elapsed from the request for the missing chunks to the last file verified (the data phase: the
 *                connection's setup and the key exchange before it are not counted)
 */
public record TransferResult(int files, long totalBytes, long networkBytes, Duration elapsed) {

    /** File bytes per second over the network, in MB/s. */
    public double megabytesPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0 : networkBytes / 1e6 / s;
    }
}
