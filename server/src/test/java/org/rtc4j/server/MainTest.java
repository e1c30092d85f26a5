package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void helpListsEveryCommand() {
        var out = new ByteArrayOutputStream();
        var cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("build", "test", "install", "demo", "stun-server", "turn-server", "help",
                "RTC4J_JAVA_OPTS", "RTC4J_LOG_LEVEL"); // every variable a command reads
    }

    @Test
    void unknownCommandsAndMissingCommandsAreUsageErrors() {
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(cli.execute("no-such-command")).isEqualTo(2);
        assertThat(cli.execute()).isEqualTo(2);
    }
}
