package org.rtc4j.server;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.rtc4j.server.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = "Run the demo: signaling server and video-chat web app (http://localhost:8080).")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    WebOptions web;

    @Override
    public Integer call() throws InterruptedException {
        // STUN/TURN on --turn-port are not running yet (issues 3 and 5): advertise neither.
        try (WebServer server = WebServer.start(web.config(false, false))) {
            System.err.println("rtc4j demo: open " + server.url() + " (signaling at " + server.url().resolve("/ws")
                    .toString().replaceFirst("^http", "ws") + ")");
            server.join();
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("rtc4j demo: " + e.getMessage());
            return 1;
        }
    }
}
