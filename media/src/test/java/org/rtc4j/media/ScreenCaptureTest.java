package org.rtc4j.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * getDisplayMedia through java.awt.Robot on a real X server (Xvfb, Debian package {@code xvfb}), in a JVM of its
 * own, since AWT binds to one display per JVM: the captured pictures carry the frame number a window shows.
 */
class ScreenCaptureTest {

    @Test
    void robotCapturesWhatTheScreenShowsAndStopEndsTheThread() throws Exception {
        int display = freeDisplay();
        Process xvfb = new ProcessBuilder("Xvfb", ":" + display, "-screen", "0", "320x240x24", "-nolisten", "tcp")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path socket = Path.of("/tmp/.X11-unix/X" + display);
            for (int i = 0; i < 200 && !Files.exists(socket) && xvfb.isAlive(); i++) {
                Thread.sleep(50);
            }
            assertThat(socket).as("Xvfb socket").exists();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Djava.awt.headless=false", "-cp",
                    System.getProperty("java.class.path"), ScreenCaptureMain.class.getName(), "320", "240")
                    .redirectErrorStream(true);
            pb.environment().put("DISPLAY", ":" + display);
            File out = File.createTempFile("screen-capture", ".txt");
            pb.redirectOutput(out);
            Process child = pb.start();
            boolean done = child.waitFor(120, TimeUnit.SECONDS);
            if (!done) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            List<String> lines = Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
            out.delete();
            assertThat(done).as("child finished: %s", lines).isTrue();
            assertThat(child.exitValue()).as("%s", lines).isZero();
            assertThat(lines).contains("LABEL screen 320x240", "FRAME 320x240 777", "FRAME 160x120 777",
                    "THREADS 0");
        } finally {
            xvfb.destroy();
            if (!xvfb.waitFor(10, TimeUnit.SECONDS)) {
                xvfb.destroyForcibly();
            }
        }
    }

    private static int freeDisplay() {
        for (int n = 150 + (int) (ProcessHandle.current().pid() % 300); ; n++) {
            if (!Files.exists(Path.of("/tmp/.X" + n + "-lock")) && !Files.exists(Path.of("/tmp/.X11-unix/X" + n))) {
                return n;
            }
        }
    }
}
