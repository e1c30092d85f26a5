package org.rtc4j.server;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.rtc4j.transfer.TransferFile;
import org.rtc4j.transfer.TransferListener;

/**
 * The progress of {@code ./rtc4j send} and {@code receive}: on a terminal, a bar per file in progress (bytes,
 * rate, time left) and one for the whole, redrawn in place with JLine's {@link Display}; when the output is
 * not a terminal, plain lines: one per verified file and a total every few seconds.
 */
final class TransferProgress implements TransferListener, AutoCloseable {

    private static final int MAX_BARS = 8;
    private static final long PLAIN_EVERY_NANOS = 2_000_000_000L;

    private final PrintStream out;
    private final Terminal terminal;
    private final Display display;
    /** When the file bytes started to move (the rates count from here). */
    private volatile long startNanos = System.nanoTime();
    private volatile List<TransferFile> files = List.of();
    private volatile AtomicLongArray done = new AtomicLongArray(0);
    private volatile long[] present = new long[0];
    private volatile boolean[] verified = new boolean[0];
    private final List<String> finishedLines = new ArrayList<>();
    private final Thread painter;
    private volatile boolean closed;
    private long lastPlain;

    /** Draws bars when {@code out} is the process's standard output and that is a terminal. */
    TransferProgress(PrintStream out, boolean allowTerminal) {
        this.out = out;
        Terminal t = null;
        if (allowTerminal && isTerminal(System.console())) {
            try {
                // A terminal on our own streams rather than JLine's system terminal, whose providers load a
                // native library (a JVM warning, and a flag to ask for); the size comes from stty.
                String type = System.getenv("TERM");
                t = new ExternalTerminal("rtc4j", type == null || type.isBlank() || type.equals("dumb") ? "xterm" : type,
                        InputStream.nullInputStream(), out, StandardCharsets.UTF_8);
                t.setSize(size());
            } catch (IOException | RuntimeException e) {
                t = null;
            }
        }
        this.terminal = t;
        this.display = t == null ? null : new Display(t, false);
        this.painter = Thread.ofPlatform().daemon().name("transfer-progress").start(this::paintLoop);
    }

    /** Whether standard input and output are a terminal ({@code Console.isTerminal}, JDK 22+; else non-null). */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: System.console() is null unless interactive
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** The terminal's size from {@code stty size}, 80x24 when that fails. */
    private static Size size() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] rc = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            if (p.waitFor() == 0 && rc.length == 2) {
                return new Size(Integer.parseInt(rc[1]), Integer.parseInt(rc[0]));
            }
        } catch (IOException | RuntimeException e) {
            // not a terminal after all, or no stty
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Size(80, 24);
    }

    @Override
    public void started(List<TransferFile> list, long[] presentBytes) {
        AtomicLongArray d = new AtomicLongArray(list.size());
        for (int i = 0; i < presentBytes.length; i++) {
            d.set(i, presentBytes[i]);
        }
        present = presentBytes.clone();
        startNanos = System.nanoTime();
        verified = new boolean[list.size()];
        done = d;
        files = list;
        long have = sum(presentBytes);
        line(String.format(Locale.ROOT, "%d files, %s%s", list.size(), bytes(total()),
                have > 0 ? " (" + bytes(have) + " there already: resuming)" : ""));
    }

    @Override
    public void progress(TransferFile file, long bytes) {
        done.addAndGet(file.index(), bytes);
    }

    @Override
    public void verified(TransferFile file) {
        boolean[] v = verified;
        if (file.index() < v.length) {
            v[file.index()] = true;
        }
        if (terminal == null || files.size() <= 50) {
            line(file.path() + ": " + bytes(file.size()) + ", SHA-256 verified");
        }
    }

    @Override
    public void status(String text) {
        line(text);
    }

    /** Prints a line above the bars (or as it is, without a terminal). */
    synchronized void line(String text) {
        if (display != null) {
            finishedLines.add(text);
            paint();
        } else {
            out.println(text);
            out.flush();
        }
    }

    private void paintLoop() {
        while (!closed) {
            try {
                Thread.sleep(display != null ? 200 : 250);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (display != null) {
                    paint();
                } else if (!files.isEmpty() && System.nanoTime() - lastPlain > PLAIN_EVERY_NANOS) {
                    lastPlain = System.nanoTime();
                    out.println(summary());
                    out.flush();
                }
            }
        }
    }

    /** Redraws: the finished lines scroll up once, the bars stay at the bottom. */
    private void paint() {
        if (closed) {
            return;
        }
        int width = Math.max(40, terminal.getWidth() > 0 ? terminal.getWidth() : 80);
        if (!finishedLines.isEmpty()) {
            display.update(List.of(), 0);
            for (String s : finishedLines) {
                terminal.writer().println(s);
            }
            finishedLines.clear();
            display.reset();
        }
        List<AttributedString> lines = new ArrayList<>();
        List<TransferFile> fs = files;
        boolean[] v = verified;
        for (TransferFile f : fs) {
            if (lines.size() == MAX_BARS) {
                break;
            }
            long d = done.get(f.index());
            if (!v[f.index()] && d > present[f.index()]) {
                lines.add(new AttributedString(bar(f.path(), d, f.size(), d - present[f.index()], width)));
            }
        }
        if (!fs.isEmpty()) {
            long all = 0;
            for (int i = 0; i < done.length(); i++) {
                all += done.get(i);
            }
            lines.add(new AttributedString(bar("total", all, total(), all - sum(present), width)));
        }
        display.resize(terminal.getHeight() > 0 ? terminal.getHeight() : 24, width);
        display.update(lines, -1);
        terminal.flush();
    }

    /** {@code name [=====>    ]  45%  12.3 MB/27.0 MB  85.2 MB/s  0:04 left} in {@code width} columns. */
    private String bar(String name, long have, long size, long movedHere, int width) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = movedHere / seconds;
        String tail = String.format(Locale.ROOT, " %3d%% %s/%s %s/s %s", percent(have, size), bytes(have),
                bytes(size), bytes((long) rate), left(size - have, rate));
        int nameWidth = Math.min(24, Math.max(8, width / 4));
        String n = name.length() > nameWidth ? "…" + name.substring(name.length() - nameWidth + 1) : name;
        int barWidth = Math.max(10, width - 1 - nameWidth - tail.length() - 3);
        int filled = size == 0 ? barWidth : (int) (barWidth * (double) have / size);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-" + nameWidth + "s [", n));
        for (int i = 0; i < barWidth; i++) {
            b.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        b.append(']').append(tail);
        return b.length() > width ? b.substring(0, width) : b.toString();
    }

    /** The plain line: {@code progress: 45% 12.3 MB of 27.0 MB, 85.2 MB/s, 0:04 left}. */
    private String summary() {
        long all = 0;
        for (int i = 0; i < done.length(); i++) {
            all += done.get(i);
        }
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = (all - sum(present)) / seconds;
        return String.format(Locale.ROOT, "progress: %d%% %s of %s, %s/s, %s", percent(all, total()), bytes(all),
                bytes(total()), bytes((long) rate), left(total() - all, rate));
    }

    private long total() {
        long t = 0;
        for (TransferFile f : files) {
            t += f.size();
        }
        return t;
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long x : a) {
            s += x;
        }
        return s;
    }

    private static int percent(long have, long size) {
        return size == 0 ? 100 : (int) (100 * have / size);
    }

    private static String left(long bytes, double rate) {
        if (bytes <= 0) {
            return "done";
        }
        if (rate < 1) {
            return "--:-- left";
        }
        long s = (long) (bytes / rate);
        return String.format(Locale.ROOT, "%d:%02d left", s / 60, s % 60);
    }

    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Stops drawing; the last state stays on the screen. */
    @Override
    public synchronized void close() {
        if (display != null) {
            paint();
        }
        closed = true;
        painter.interrupt();
        if (terminal != null) {
            try {
                terminal.writer().println();
                terminal.flush();
                terminal.close();
                out.flush();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
