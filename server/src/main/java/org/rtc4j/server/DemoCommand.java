package org.rtc4j.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "Run the demo server (for now: the STUN server on port 3478).")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("rtc4j demo: the STUN server is not built yet (issue 3)");
        return 1;
    }
}
