package org.rtc4j.server;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./rtc4j} command line. Each command is one class in this package. */
@Command(
        name = "rtc4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "WebRTC for the JVM: servers, tools and the demo.",
        footer = {
            "",
            "Environment:",
            "  JAVA_HOME        the JDK 21+ the ./rtc4j launcher uses (else java on PATH, then /usr/lib/jvm)",
            "  RTC4J_JAVA_OPTS  JVM options for every command (for example -Xmx256m)",
            "  RTC4J_AOT        off: the launcher neither makes nor uses its start-up cache",
            "  RTC4J_LOG_LEVEL  the log level on stderr: ERROR, WARN, INFO (default), DEBUG, TRACE",
            "  SSLKEYLOGFILE    a file to append DTLS secrets to, for Wireshark (as browsers do)"
        },
        subcommands = {
            BuildCommand.class,
            TestCommand.class,
            InstallCommand.class,
            DemoCommand.class,
            PeerCommand.class,
            CallCommand.class,
            SendCommand.class,
            ReceiveCommand.class,
            StunServerCommand.class,
            TurnServerCommand.class,
            AotTrainingCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        FatalErrors.install(); // the process, not run(): tests call run() inside their own JVM
        StopSignals.ownProcess = true; // likewise: SIGINT and SIGTERM are ours to handle
        System.exit(run(args));
    }

    /**
     * Runs one command line and returns its exit code (for tests: no System.exit). A command named first is
     * built alone: picocli's model of every command costs a cold JVM a fifth of a second (issue 23).
     */
    public static int run(String... args) {
        Integer served = args.length > 0 ? runServerFast(args[0], java.util.Arrays.copyOfRange(args, 1, args.length))
                : null;
        if (served != null) {
            return served;
        }
        CommandLine cli = args.length > 0 ? command(args[0]) : null;
        if (cli != null) {
            return cli.execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        return UsageErrors.install(new CommandLine(new Main())).execute(args);
    }

    /**
     * The STUN or TURN server run from its usual command line without picocli (its model cost a server 0.06 CPU
     * seconds of a 0.15 s start); null for any other command, or when picocli must read this line.
     */
    static Integer runServerFast(String command, String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        return switch (command) {
            case "turn-server" -> TurnServerCommand.runFast(args, err);
            case "stun-server" -> StunServerCommand.runFast(args, err);
            // The servers' training likewise, so that the servers' cache holds no picocli (the launcher's line).
            case "aot-training" -> args.length == 1 && args[0].equals("--servers") ? trainServers(err) : null;
            default -> null;
        };
    }

    private static Integer trainServers(PrintWriter err) {
        try {
            return AotTrainingCommand.trainServers();
        } catch (Exception e) {
            err.println("rtc4j aot-training: " + e);
            return 1;
        }
    }

    /** The command line of one command alone, or null when no command has that name. */
    static CommandLine command(String name) {
        for (Class<?> command : Main.class.getAnnotation(Command.class).subcommands()) {
            Command c = command.getAnnotation(Command.class);
            if (c.name().equals(name) && command != CommandLine.HelpCommand.class) {
                CommandLine cli = UsageErrors.install(new CommandLine(command));
                cli.setCommandName("rtc4j " + c.name());
                return cli;
            }
        }
        return null;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rtc4j " + (version == null ? "development build" : version)};
        }
    }
}
