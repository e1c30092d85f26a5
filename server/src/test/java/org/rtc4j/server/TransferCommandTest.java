package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.server.TransferCli.bytes;
import static org.rtc4j.server.TransferCli.hashes;
import static org.rtc4j.server.TransferCli.hex;
import static org.rtc4j.server.TransferCli.randomFile;
import static org.rtc4j.server.TransferCli.sha256;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;

/**
 * {@code ./rtc4j send} to {@code ./rtc4j receive}, each its own JVM under {@code -Xmx64m}, paired by a signaling
 * server in this JVM, over loopback in the test namespace.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TransferCommandTest {

    private static final Pattern SUMMARY = Pattern.compile("received (\\d+) files, (\\d+) bytes \\((\\d+) over the network\\)");

    @TempDir
    Path tmp;
    private WebServer server;
    private TransferCli t;

    @BeforeEach
    void startServer() throws Exception {
        server = WebServer.start(WebServerConfig.loopback());
        t = new TransferCli(tmp, server.url().toString());
    }

    @AfterEach
    void stop() throws Exception {
        t.close();
        server.close();
    }

    @Test
    void aDirectoryOf1000SmallFilesAndA200MegabyteFileArriveWhole() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/many"));
        Random r = new Random(7);
        for (int i = 0; i < 1000; i++) {
            Path p = src.resolve("d" + (i % 10) + "/file-" + i + ".txt");
            Files.createDirectories(p.getParent());
            Files.write(p, bytes(r, 1 + r.nextInt(8000)));
        }
        Path big = randomFile(tmp.resolve("src/big.bin"), 200_000_000L);
        Process sender = t.cli("send", src.toString(), big.toString());
        String code = t.awaitCode(sender);
        Path out = tmp.resolve("out");
        Process receiver = t.cli("receive", code, "--dir", out.toString());
        String got = t.finish(receiver, 240);
        assertThat(receiver.exitValue()).as(got).isZero();
        assertThat(got).contains("received 1001 files");
        assertThat(t.finish(sender, 30)).contains("sent 1001 files");
        assertThat(sender.exitValue()).isZero();
        assertThat(hashes(out)).isEqualTo(hashes(tmp.resolve("src")));
    }

    @Test
    void aReceiverKilledHalfWayResumesAndOnlyTheRestIsSent() throws Exception {
        long size = 150_000_000L;
        Path big = randomFile(tmp.resolve("src/big.bin"), size);
        Process sender = t.cli("send", big.toString());
        String code = t.awaitCode(sender);
        Path out = tmp.resolve("out");
        Process first = t.cli("receive", code, "--dir", out.toString());
        long partial = t.awaitPartial(out, size / 2, first);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(out.resolve("big.bin")).doesNotExist();

        Process second = t.cli("receive", code, "--dir", out.toString());
        String got = t.finish(second, 120);
        assertThat(second.exitValue()).as(got).isZero();
        Matcher m = SUMMARY.matcher(got);
        assertThat(m.find()).as(got).isTrue();
        long network = Long.parseLong(m.group(3));
        System.out.println("resume: the first receiver was killed with " + partial + " bytes written; " + m.group());
        assertThat(Long.parseLong(m.group(2))).isEqualTo(size);
        // Only the rest came: what the first run had written (less the map's last unsaved 64 chunks) stayed.
        assertThat(network).as(got).isLessThanOrEqualTo(size - partial + 64L * 65_536 + 4L * 8 * 1024 * 1024)
                .isLessThan(size * 3 / 4);
        assertThat(t.finish(sender, 30)).contains("sent 1 files");
        assertThat(hex(sha256(out.resolve("big.bin")))).isEqualTo(hex(sha256(big)));
        try (Stream<Path> left = Files.list(out)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("big.bin");
        }
    }

    @Test
    void aWrongCodeIsRefusedAndNothingIsWritten() throws Exception {
        Path file = Files.writeString(tmp.resolve("secret.txt"), "secret");
        Process sender = t.cli("send", file.toString());
        String code = t.awaitCode(sender);
        String[] parts = code.split("-");
        String wrong = parts[0] + "-" + (parts[1].equals("acid") ? "acorn" : "acid") + "-" + parts[2];
        Path out = tmp.resolve("out");
        Process receiver = t.cli("receive", wrong, "--dir", out.toString());
        String got = t.finish(receiver, 60);
        assertThat(receiver.exitValue()).isEqualTo(1);
        assertThat(got).contains("wrong code");
        assertThat(out).doesNotExist();
        // The sender keeps waiting (two more tries); the right code still works.
        Process right = t.cli("receive", code, "--dir", out.toString());
        assertThat(t.finish(right, 60)).contains("received 1 files");
        assertThat(out.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void progressIsBarsInATerminalAndPlainLinesInAPipe() throws Exception {
        Path big = randomFile(tmp.resolve("src/big.bin"), 120_000_000L);
        Process sender = t.cli("send", big.toString());
        String code = t.awaitCode(sender);
        // In a pseudo-terminal (util-linux script): bars redrawn in place.
        List<String> command = t.command("receive", code, "--dir", tmp.resolve("tty").toString());
        Process tty = t.start(List.of("script", "-q", "-e", "-c", String.join(" ", command.stream()
                .map(TransferCli::quote).toList()), "/dev/null"));
        String screen = t.finish(tty, 120);
        assertThat(tty.exitValue()).as(screen).isZero();
        assertThat(screen).contains("[====").contains("MB/s").contains("left").contains("\u001b[") // redrawn
                .contains("big.bin: 120.0 MB, SHA-256 verified");
        t.finish(sender, 30);

        Process sender2 = t.cli("send", big.toString());
        String code2 = t.awaitCode(sender2);
        Process piped = t.cli("receive", code2, "--dir", tmp.resolve("pipe").toString());
        String lines = t.finish(piped, 120);
        assertThat(piped.exitValue()).as(lines).isZero();
        assertThat(lines).contains("progress: ").contains("big.bin: 120.0 MB, SHA-256 verified")
                .doesNotContain("\u001b[").doesNotContain("[====");
    }
}
