package org.rtc4j.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferResult;
import org.rtc4j.transfer.TransferSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./rtc4j send FILE|DIR...}: prints a code, waits for the receiver, sends peer to peer. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send files and directories peer to peer: prints a code such as 7-pepper-tiger;",
            "on the other end, ./rtc4j receive 7-pepper-tiger. The server only pairs the two ends:",
            "the code's words never leave them, and they prove both ends' DTLS keys before any byte moves.",
            "Also prints a link that receives in a browser (its secret, after '#', never reaches the server).",
            "Waits until the receiver has everything (a receiver that broke off may resume), 3 wrong codes,",
            "or an hour."})
final class SendCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "what to send")
    List<Path> paths;

    @Mixin
    TransferServer server;

    @Option(names = "--no-warmup", description = {"while waiting for the receiver, do not warm the send path up",
        "(a file of 64 MiB or more: its chunks between two connections inside this JVM, about a CPU second)"})
    boolean noWarmup;

    PrintStream out = System.out;
    boolean terminal = true;

    @Override
    public Integer call() throws InterruptedException {
        try (TransferProgress progress = new TransferProgress(out, terminal && out == System.out)) {
            try (TransferSender sender = TransferSender.start(paths, server.rendezvous(),
                    server.options().withIdleWarmup(!noWarmup), progress)) {
                progress.line("code: " + sender.code());
                progress.line("on the other end: ./rtc4j receive " + sender.code()
                        + (server.server != null ? " --server " + server.server : ""));
                progress.line("or open in a browser: " + sender.code().link(server.httpUrl()));
                TransferResult r = sender.await();
                progress.line(summary("sent", r));
                threadCpu("send");
                return 0;
            }
        } catch (TransferException e) {
            System.err.println("rtc4j send: " + e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            System.err.println("rtc4j send: " + e);
            return 1;
        }
    }

    static String summary(String verb, TransferResult r) {
        return String.format(Locale.ROOT, "%s %d files, %d bytes (%d over the network) in %.2f s, %.1f MB/s", verb,
                r.files(), r.totalBytes(), r.networkBytes(), r.elapsed().toNanos() / 1e9, r.megabytesPerSecond());
    }

    /**
     * With {@code -Drtc4j.threadCpu=true} (benchmarks): prints on stderr each thread's CPU seconds so far,
     * largest first, the kernel's share in brackets when it is a tenth of a second or more, and those of the
     * threads that have ended (the process's total less the live threads').
     */
    static void threadCpu(String command) {
        if (!Boolean.getBoolean("rtc4j.threadCpu")) {
            return;
        }
        Map<String, Double> threads = ProcessCpu.byThread(false);
        Map<String, Double> system = ProcessCpu.byThread(true);
        double live = threads.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder line = new StringBuilder(command).append(" cpu_s by thread:");
        threads.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
                .filter(e -> e.getValue() >= 0.01)
                .forEach(e -> {
                    line.append(String.format(Locale.ROOT, " [%s]=%.2f", e.getKey(), e.getValue()));
                    double sys = system.getOrDefault(e.getKey(), 0.0);
                    if (sys >= 0.1) {
                        line.append(String.format(Locale.ROOT, " (system %.2f)", sys));
                    }
                });
        line.append(String.format(Locale.ROOT, " [ended]=%.2f", Math.max(0, ProcessCpu.nanos() / 1e9 - live)));
        System.err.println(line);
    }
}
