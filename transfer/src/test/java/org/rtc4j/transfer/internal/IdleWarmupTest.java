package org.rtc4j.transfer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class IdleWarmupTest {

    @TempDir
    Path dir;

    private Manifest file(long size) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("f").toFile(), "rw")) {
            f.setLength(size);
        }
        return Manifest.of("test", List.of(dir.resolve("f")));
    }

    @Test
    void sendsChunksOnceTheFilesAreHashedAndStopsWhenTheReceiverComes() throws Exception {
        Manifest m = file(64L << 20);
        IdleHashes hashes = IdleHashes.start(m);
        IdleWarmup warmup = IdleWarmup.start(m, hashes, true);
        while (warmup.sent() == 0 && !warmup.ended().isDone()) {
            Thread.sleep(5);
        }
        assertThat(warmup.sent()).as("chunks sent between the two connections").isPositive();
        assertThat(hashes.finished()).as("hashing came first").isDone();
        warmup.stop();
        warmup.ended().get(10, TimeUnit.SECONDS); // the thread has left its loop: nothing more is sent
        assertThat(Files.size(m.sources().get(0))).isEqualTo(64L << 20); // read, never written
    }

    @Test
    void aSmallFileIsSentColdAsBefore() throws Exception {
        Manifest m = file((64L << 20) - 1);
        IdleHashes hashes = IdleHashes.start(m);
        IdleWarmup warmup = IdleWarmup.start(m, hashes, true);
        assertThat(warmup.ended()).isDone();
        hashes.finished().get(10, TimeUnit.SECONDS);
        assertThat(warmup.sent()).isZero();
    }

    @Test
    void offWhenTheOptionsSaySo() throws Exception {
        Manifest m = file(64L << 20);
        IdleHashes hashes = IdleHashes.start(m);
        IdleWarmup warmup = IdleWarmup.start(m, hashes, false);
        assertThat(warmup.ended()).isDone();
        hashes.finished().get(10, TimeUnit.SECONDS);
        assertThat(warmup.sent()).isZero();
    }
}
