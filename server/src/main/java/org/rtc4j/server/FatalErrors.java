package org.rtc4j.server;

import org.slf4j.LoggerFactory;

/**
 * A server process is whole or gone. When an error kills one of its threads (the TURN engine's, a socket
 * loop's, an OutOfMemoryError anywhere), the rest would go on half alive: web pages served while TURN is
 * dead, a process that no longer stops on SIGTERM. Instead it logs the error and halts with a non-zero
 * status, so that a supervisor (systemd, Kubernetes) starts a whole one again.
 */
final class FatalErrors {
    /** The exit status (EX_SOFTWARE of sysexits.h: an internal software error). */
    static final int STATUS = 70;

    private FatalErrors() {
    }

    /** Makes any uncaught throwable that ends a thread end the process. */
    static void install() {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            try {
                // The logger is made here, not at start: Logback's set-up is a tenth of a server's start-up CPU.
                LoggerFactory.getLogger(FatalErrors.class).error("thread '{}' died; stopping the whole process (status {}) so that it can be restarted",
                        thread.getName(), STATUS, error);
            } catch (Throwable ignored) {
                // logging itself failed (out of memory): halt all the same
            }
            // halt, not exit: shutdown hooks could wait on the dead thread's work and hang the process
            Runtime.getRuntime().halt(STATUS);
        });
    }
}
