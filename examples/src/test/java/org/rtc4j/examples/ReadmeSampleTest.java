package org.rtc4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The README's two-peers sample, exactly as written there, compiles and prints what it promises. */
@Timeout(120)
class ReadmeSampleTest {

    @Test
    void theReadmeSampleRunsAsWritten(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```java\\n(.*?public class (\\w+).*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("a complete Java class in the README").isTrue();
        Path source = dir.resolve(m.group(2) + ".java");
        Files.writeString(source, m.group(1));

        // The test's own dependencies (webrtc and below, logback), whether Surefire put them on the class or
        // the module path, become a plain class path, as a user's project would have them.
        List<String> path = new ArrayList<>();
        for (String p : new String[] {System.getProperty("jdk.module.path"), System.getProperty("java.class.path")}) {
            if (p != null && !p.isEmpty()) {
                path.add(p);
            }
        }
        String classPath = String.join(File.pathSeparator, path);
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        Process javac = new ProcessBuilder(bin.resolve("javac").toString(), "-cp", classPath, "-d", dir.toString(),
                source.toString()).redirectErrorStream(true).start();
        String diagnostics = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(javac.waitFor()).as(diagnostics).isZero();

        Process p = new ProcessBuilder(bin.resolve("java").toString(),
                "-cp", dir + File.pathSeparator + classPath, m.group(2))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the sample ends by itself").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isZero();
            assertThat(out).contains("got hello");
        } finally {
            p.destroyForcibly();
        }
    }
}
