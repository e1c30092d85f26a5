package org.rtc4j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM start an orderly stop (the command then returns and the process exits 0) instead of the
 * JVM's default, which runs shutdown hooks and exits 130 or 143. A second signal ends the process at once.
 * {@code sun.misc.Signal} is the JDK's only way to replace those handlers (module jdk.unsupported).
 */
final class StopSignals implements AutoCloseable {
    /** Status for a second signal, as a shell reports a process ended by SIGINT (128 + 2). */
    static final int STATUS_AGAIN = 130;

    private record Installed(Signal signal, SignalHandler previous) {
    }

    /**
     * Set by {@link Main#main} only: a command run inside another program (tests call {@link Main#run}) leaves
     * that program's signals alone.
     */
    static volatile boolean ownProcess;

    private final List<Installed> installed = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    private StopSignals() {
    }

    /** Runs {@code stop} on a thread of its own at the first SIGINT or SIGTERM, until closed. */
    static StopSignals install(String who, Runnable stop) {
        StopSignals signals = new StopSignals();
        for (String name : ownProcess ? List.of("INT", "TERM") : List.<String>of()) {
            signals.handle(name, who, stop);
        }
        return signals;
    }

    private void handle(String name, String who, Runnable stop) {
        Signal signal = new Signal(name);
        try {
            installed.add(new Installed(signal, Signal.handle(signal, s -> {
                if (!stopping.compareAndSet(false, true)) {
                    Runtime.getRuntime().halt(STATUS_AGAIN); // asked twice: the user means now
                }
                System.err.println(who + ": stopping (SIG" + s.getName() + "; again to quit at once)");
                System.err.flush();
                Thread.ofPlatform().name("rtc4j-stop").start(stop);
            })));
        } catch (IllegalArgumentException e) {
            // the JVM keeps this signal (-Xrs, or a debugger's): its default behaviour stays
            LoggerFactory.getLogger(StopSignals.class).debug("SIG{} stays the JVM's: {}", name, e.getMessage());
        }
    }

    /** Gives the signals back to whoever had them before. */
    @Override
    public void close() {
        for (Installed i : installed) {
            Signal.handle(i.signal(), i.previous());
        }
        installed.clear();
    }
}
