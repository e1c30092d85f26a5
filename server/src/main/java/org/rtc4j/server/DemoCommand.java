package org.rtc4j.server;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Run the demo server (for now: the STUN server on "
        + StunServerCommand.DEFAULT_LISTEN + ", UDP and TCP).")
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // Until the signaling server arrives, the demo is the STUN server on its default port.
        StunServerCommand stun = new StunServerCommand();
        return new CommandLine(stun).setOut(spec.commandLine().getOut()).setErr(spec.commandLine().getErr())
                .execute();
    }
}
