package org.rtc4j.transfer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rtc4j.transfer.TransferException;

class SafePathsTest {

    @TempDir
    Path base;
    Path root;

    @org.junit.jupiter.api.BeforeEach
    void makeRoot() throws Exception {
        root = Files.createDirectories(base.resolve("root"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a/", "..", ".", "a\\b",
            "C:x", "a/\u0000b", "line\nbreak"})
    void hostileNamesAreRefused(String path) {
        assertThatThrownBy(() -> SafePaths.check(path)).isInstanceOfSatisfying(TransferException.class,
                e -> assertThat(e.reason()).isEqualTo(TransferException.Reason.PROTOCOL));
    }

    @Test
    void plainNamesPass() throws Exception {
        assertThat(SafePaths.check("photos/2026/..hidden.jpg")).isEqualTo("photos/2026/..hidden.jpg");
        assertThat(SafePaths.resolve(root, "a/b/c.txt", true)).isEqualTo(root.resolve("a/b/c.txt"));
        assertThat(root.resolve("a/b")).isDirectory();
    }

    @Test
    void aSymbolicLinkOnTheWayIsNeverFollowed() throws Exception {
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.createDirectories(root.resolve("in"));
        Files.createSymbolicLink(root.resolve("in/link"), outside);
        Files.createSymbolicLink(root.resolve("file-link"), outside.resolve("f"));
        assertThatThrownBy(() -> SafePaths.resolve(root, "in/link/evil.txt", true))
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> SafePaths.resolve(root, "file-link", true)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> SafePaths.directory(root, "in/link")).hasMessageContaining("symbolic link");
        try (var s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void chunkMapsSurviveARestartAndListWhatIsMissing() throws Exception {
        long size = 10L * FileChunk.SIZE + 5;
        ChunkMap m = ChunkMap.load(root.resolve("0.map"), size);
        assertThat(m.missing().toString()).isEqualTo("[[0,11]]");
        for (int c : new int[] {0, 1, 2, 5, 10}) {
            m.set(c);
        }
        m.save(root.resolve("0.map"));
        ChunkMap back = ChunkMap.load(root.resolve("0.map"), size);
        assertThat(back.missing().toString()).isEqualTo("[[3,5],[6,10]]");
        assertThat(back.presentBytes()).isEqualTo(4L * FileChunk.SIZE + 5);
        assertThat(ChunkMap.load(root.resolve("0.map"), size + 1).presentBytes()).isZero(); // another file
    }

    @Test
    void anOpenChunkMapIsCurrentOnDiskAfterEverySet() throws Exception {
        long size = 20L * FileChunk.SIZE;
        Path file = root.resolve("1.map");
        try (ChunkMap m = ChunkMap.load(file, size)) {
            m.set(3);
            m.open(file);
            for (int c : new int[] {9, 4, 17, 8}) {
                m.set(c);
                // read back as a receiver killed right now would: nothing saved in between
                assertThat(ChunkMap.load(file, size).has(c)).isTrue();
            }
            assertThat(ChunkMap.load(file, size).missing().toString()).isEqualTo("[[0,3],[5,8],[10,17],[18,20]]");
        }
    }

    @Test
    void chunkMessagesAreCheckedAgainstTheFileSize() {
        long size = FileChunk.SIZE + 10;
        assertThat(FileChunk.index(new byte[FileChunk.HEADER + FileChunk.SIZE], size)).isZero();
        byte[] last = new byte[FileChunk.HEADER + 10];
        last[3] = 1;
        assertThat(FileChunk.index(last, size)).isEqualTo(1);
        assertThat(FileChunk.index(new byte[FileChunk.HEADER + 10], size)).isEqualTo(-1); // chunk 0 is whole
        byte[] beyond = new byte[FileChunk.HEADER + 10];
        beyond[3] = 2;
        assertThat(FileChunk.index(beyond, size)).isEqualTo(-1);
        assertThat(FileChunk.index(new byte[3], size)).isEqualTo(-1);
    }
}
