package org.rtc4j.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rtc4j.turn.StunServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "stun-server", mixinStandardHelpOptions = true,
        description = "Run a STUN server (RFC 8489 Binding) over UDP and TCP until stopped.")
final class StunServerCommand implements Callable<Integer> {

    static final String DEFAULT_LISTEN = "0.0.0.0:3478";

    @Option(names = "--listen", paramLabel = "IP:PORT",
            description = {"Answer on this address over UDP and TCP; repeatable. IPv6 as [::1]:3478.",
                "Port 0 picks a free port (the same one for UDP and TCP). Default: " + DEFAULT_LISTEN + "."})
    List<String> listen = new ArrayList<>();

    @CommandLine.Mixin
    TcpOptions tcpOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<InetSocketAddress> addresses;
        TcpLimits limits;
        try {
            addresses = Listeners.parse(listen, DEFAULT_LISTEN);
            limits = tcpOptions.limits();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return serve(addresses, limits, spec.commandLine().getErr());
    }

    /** As {@link TurnServerCommand#runFast}: the usual command line without picocli, or null. */
    static Integer runFast(String[] args, PrintWriter err) {
        StunServerCommand c = new StunServerCommand();
        if (!fastOptions(c).parse(args)) {
            return null;
        }
        List<InetSocketAddress> addresses;
        TcpLimits limits;
        try {
            addresses = Listeners.parse(c.listen, DEFAULT_LISTEN);
            limits = c.tcpOptions.limits();
        } catch (IllegalArgumentException e) {
            return null;
        }
        return c.serve(addresses, limits, err);
    }

    /** The options, each setting its field of {@code c} (defaults as picocli's). */
    static ServerArgs fastOptions(StunServerCommand c) {
        c.tcpOptions = new TcpOptions();
        return new ServerArgs().tcpOptions(c.tcpOptions).repeatable("--listen", c.listen::add);
    }

    private Integer serve(List<InetSocketAddress> addresses, TcpLimits limits, PrintWriter err) {
        EngineRunner runner;
        try {
            runner = Listeners.start(addresses, List.of(), null, limits, () -> new StunServer());
        } catch (IOException e) {
            err.println("rtc4j stun-server: " + e.getMessage());
            err.flush();
            return 1;
        }
        try (runner) {
            err.println("rtc4j stun-server: listening on " + Listeners.describe(runner));
            err.flush();
            runner.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopped by the caller
        }
        return 0;
    }
}
