package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
                "RTC4J_JAVA_OPTS", "RTC4J_LOG_LEVEL", "RTC4J_AOT"); // every variable a command reads
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("aot-training"); // the launcher's own
    }

    @Test
    void aCommandNamedFirstIsBuiltAloneWithTheSameUsageErrors() {
        // Main.run builds only the command it runs; its errors are still usage errors (status 2).
        assertThat(Main.run("stun-server", "--no-such-option")).isEqualTo(2);
        assertThat(Main.run("peer", "neither-offer-nor-answer")).isEqualTo(2);
        assertThat(Main.run("turn-server", "--help")).isZero();
    }

    /** A usage error is one line with the nearest names, then where the usage is: never the whole usage. */
    @Test
    void aMisspeltOptionOrCommandIsOneLineWithAHint() {
        assertThat(errorsOf("demo", "--prot", "9")).containsExactly(
                "rtc4j demo: unknown option '--prot'; did you mean '--port'?",
                "Run 'rtc4j demo --help' for its options.");
        assertThat(errorsOf("turn-server", "--max-bsp=10")).first().asString()
                .startsWith("rtc4j turn-server: unknown option '--max-bsp'; did you mean '--max-bps'");
        assertThat(errorsOf("deom")).containsExactly(
                "rtc4j: unknown command 'deom'; did you mean 'demo'?",
                "Run 'rtc4j --help' for the commands.");
        assertThat(errorsOf("peer", "offer", "--timeout", "soon")).hasSize(2).first().asString()
                .startsWith("rtc4j peer: ").contains("--timeout").contains("soon");
        assertThat(errorsOf("peer", "sideways")).containsExactly(
                "rtc4j peer: the role is offer or answer, not sideways",
                "Run 'rtc4j peer --help' for its options.");
    }

    /** Every usage line starts with rtc4j (the launcher's own commands answer --help in ./rtc4j itself). */
    @Test
    void everyUsageLineNamesRtc4j() {
        for (String name : new CommandLine(new Main()).getSubcommands().keySet()) {
            if (java.util.Set.of("help", "aot-training", "build", "test", "install").contains(name)) {
                continue;
            }
            var out = new ByteArrayOutputStream();
            PrintStream saved = System.out;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                assertThat(Main.run(name, "--help")).as(name).isZero();
            } finally {
                System.setOut(saved);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).as(name).startsWith("Usage: rtc4j " + name + " ");
        }
    }

    /** What a command writes to stderr for {@code args}, line by line, when it fails with a usage error. */
    private static java.util.List<String> errorsOf(String... args) {
        PrintStream saved = System.err;
        var err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(Main.run(args)).as(String.join(" ", args)).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void unknownCommandsAndMissingCommandsAreUsageErrors() {
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(cli.execute("no-such-command")).isEqualTo(2);
        assertThat(cli.execute()).isEqualTo(2);
    }
}
