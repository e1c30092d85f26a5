package org.rtc4j.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rtc4j.transfer.TransferCode;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferReceiver;
import org.rtc4j.transfer.TransferResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./rtc4j receive CODE [--dir DIR]}: fetches what {@code ./rtc4j send} offers under the code. */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = {"Receive what ./rtc4j send offers under CODE into --dir (default: here).",
            "Nothing is written unless the code is right; files arrive whole and SHA-256-checked, never over",
            "an existing file. Interrupted? Run the same command again: only what is missing comes."})
final class ReceiveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CODE", description = "the code the sender printed, as 7-pepper-tiger, or its link (http://host/t#7-...)")
    String code;

    @Option(names = "--dir", description = "where to put the files (default: the current directory)")
    Path dir = Path.of(".");

    @Mixin
    TransferServer server;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintStream out = System.out;
    boolean terminal = true;

    @Override
    public Integer call() throws InterruptedException {
        TransferCode parsed;
        try {
            parsed = TransferCode.parse(code);
            if (server.server == null && TransferCode.server(code) != null) {
                server.server = TransferCode.server(code); // a link names its server
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (TransferProgress progress = new TransferProgress(out, terminal && out == System.out)) {
            TransferResult r = TransferReceiver.receive(parsed, dir, server.rendezvous(), server.options(), progress);
            progress.line(SendCommand.summary("received", r));
            SendCommand.threadCpu("receive");
            return 0;
        } catch (TransferException e) {
            System.err.println("rtc4j receive: " + e.getMessage());
            return 1;
        }
    }
}
