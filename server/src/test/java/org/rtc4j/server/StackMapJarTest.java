package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The launcher's lift of picocli's Java 5 class files (server/src/launcher/StackMapJar.java, run before the
 * start-up cache is trained): every class comes out at version 50 or later, the JVM's type-checking verifier
 * accepts all of them without falling back to the old one (which would keep them out of the cache again), and
 * picocli still works. The tool uses the class-file API (JDK 24+), and the launcher runs it only there.
 */
@EnabledForJreRange(min = JRE.JAVA_24)
class StackMapJarTest {

    @TempDir
    Path dir;

    @Test
    void liftsPicocliToCheckedClassFilesThatStillWork() throws Exception {
        Path picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path lifted = dir.resolve("picocli.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(run(java, "src/launcher/StackMapJar.java", picocli.toString(), lifted.toString()))
                .contains("lifted to version 50");
        try (ZipFile jar = new ZipFile(lifted.toFile())) {
            int classes = 0;
            for (ZipEntry entry : Collections.list(jar.entries())) {
                if (entry.getName().endsWith(".class")) {
                    classes++;
                    assertThat(majorVersion(jar, entry)).as(entry.getName()).isGreaterThanOrEqualTo(50);
                }
            }
            assertThat(classes).isGreaterThan(100);
        }
        // picocli's own command-line tool parses and prints its usage with the lifted classes; verification logged.
        String out = run(java, "-Xlog:verification=info", "-Dpicocli.autocomplete.systemExitOnSuccess=false",
                "-cp", lifted.toString(), "picocli.AutoComplete", "--help");
        assertThat(out).contains("Usage:", "Verifying class picocli.CommandLine$Interpreter with new format");
        assertThat(out).doesNotContain("Fail over class verification to old verifier", "with old format");
    }

    private static int majorVersion(ZipFile jar, ZipEntry entry) throws IOException {
        try (InputStream in = jar.getInputStream(entry); DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            data.readUnsignedShort(); // minor
            return data.readUnsignedShort();
        }
    }

    private String run(String... command) throws Exception {
        Path output = dir.resolve("output.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }
}
