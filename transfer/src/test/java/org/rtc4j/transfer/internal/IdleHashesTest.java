package org.rtc4j.transfer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class IdleHashesTest {

    @TempDir
    Path dir;

    private Manifest files(int... sizes) throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < sizes.length; i++) {
            byte[] data = new byte[sizes[i]];
            random.nextBytes(data);
            Files.write(dir.resolve("f" + i), data);
        }
        return Manifest.of("test", List.of(dir));
    }

    private static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    /** Waits for the hasher to reach the last file, then for its hash. */
    private static byte[] last(IdleHashes h, int index) throws Exception {
        while (!h.covers(index)) {
            Thread.sleep(5);
        }
        return h.sha256(index);
    }

    @Test
    void hashesEveryFileAsTheJdkDoes() throws Exception {
        Manifest m = files(3 << 20, 1, 5_000_000);
        IdleHashes h = IdleHashes.start(m);
        int lastIndex = m.files().size() - 1;
        assertThat(last(h, lastIndex)).isEqualTo(sha256(m.sources().get(lastIndex)));
        for (int i = 0; i < m.files().size(); i++) {
            assertThat(h.covers(i)).isTrue();
            assertThat(h.sha256(i)).as(m.files().get(i).path()).isEqualTo(sha256(m.sources().get(i)));
        }
    }

    @Test
    void aFileChangedSinceItWasHashedHasNoHash() throws Exception {
        Manifest m = files(1 << 20, 1 << 20);
        IdleHashes h = IdleHashes.start(m);
        assertThat(last(h, 1)).isNotNull();
        Path changed = m.sources().get(0);
        byte[] data = Files.readAllBytes(changed);
        data[0] ^= 1;
        Files.write(changed, data);
        Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 2_000));
        assertThat(h.sha256(0)).isNull(); // the sender hashes what it sends instead
        assertThat(h.sha256(1)).isEqualTo(sha256(m.sources().get(1)));
    }

    @Test
    void emptyFilesAreLeftToTheSender() throws Exception {
        Manifest m = files(1000, 0, 1000);
        IdleHashes h = IdleHashes.start(m);
        assertThat(last(h, 2)).isEqualTo(sha256(m.sources().get(2)));
        int empty = m.files().get(0).size() == 0 ? 0 : m.files().get(1).size() == 0 ? 1 : 2;
        assertThat(m.files().get(empty).size()).isZero();
        assertThat(h.covers(empty)).isFalse();
        assertThat(h.sha256(empty)).isNull();
    }
}
