package org.rtc4j.transfer;

import java.util.List;

/**
 * Progress of a transfer. Methods are called on the connection's threads and must return quickly (record the
 * figures; draw them elsewhere). Every method has an empty default.
 */
public interface TransferListener {

    /** The files of the transfer, before any byte; {@code present} bytes of each are already there (resume). */
    default void started(List<TransferFile> files, long[] present) {
    }

    /** {@code bytes} more of {@code file} were sent or written. */
    default void progress(TransferFile file, long bytes) {
    }

    /** {@code file} arrived whole and its SHA-256 matched (receiver), or the receiver said so (sender). */
    default void verified(TransferFile file) {
    }

    /** Something a person may want to know (waiting for the receiver, connected, a receiver that left). */
    default void status(String text) {
    }
}
