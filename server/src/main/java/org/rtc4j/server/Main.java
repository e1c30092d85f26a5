package org.rtc4j.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./rtc4j} command line. Each command is one class in this package. */
@Command(
        name = "rtc4j",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "WebRTC for the JVM: servers, tools and the demo.",
        subcommands = {
            BuildCommand.class,
            TestCommand.class,
            DemoCommand.class,
            PeerCommand.class,
            SendCommand.class,
            ReceiveCommand.class,
            StunServerCommand.class,
            TurnServerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        FatalErrors.install(); // the process, not run(): tests call run() inside their own JVM
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (for tests: no System.exit). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
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
