package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A thread that dies of an error takes the whole process down with status 70, instead of leaving it half alive. */
class FatalErrorsTest {

    /** Run in a child JVM: a worker thread dies while the main thread would go on for half a minute. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            FatalErrors.install();
            Thread worker = new Thread(() -> {
                throw new OutOfMemoryError("simulated: the TURN engine's thread ran out of memory");
            }, "turn-engine");
            worker.start();
            Thread.sleep(30_000);
            System.exit(0); // reached only if the process stayed half alive
        }
    }

    @Test
    void aDeadThreadStopsTheProcessWithStatus70() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("the process ended").isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isEqualTo(FatalErrors.STATUS);
            assertThat(output).contains("thread 'turn-engine' died").contains("simulated");
        } finally {
            p.destroyForcibly();
        }
    }
}
