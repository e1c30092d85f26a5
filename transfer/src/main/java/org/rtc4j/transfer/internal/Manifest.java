package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.rtc4j.transfer.TransferException;
import org.rtc4j.transfer.TransferFile;

/**
 * What a transfer holds: its id (names the receiver's partial files, so a resume finds them), the files and
 * the directories (empty ones too). Sent as {@code files} messages of at most {@link #PER_MESSAGE} entries,
 * the last one marked {@code "last": true}:
 * {@code {"t":"files","id":"<32 hex>","files":[{"p":"dir/a.txt","s":123},...],"dirs":["dir/empty"],"last":true}}.
 * A file's index is its position in the whole list.
 *
 * @param sources the sender's paths of the files (empty on the receiving end)
 */
public record Manifest(String id, List<TransferFile> files, List<String> dirs, List<Path> sources) {

    public static final int MAX_FILES = 100_000;
    public static final int MAX_DIRS = 100_000;
    /** 2^32 chunks of 64 KiB. */
    public static final long MAX_SIZE = (1L << 32) * FileChunk.SIZE - 1;
    static final int PER_MESSAGE = 256;

    /** The manifest of the sender's arguments: files as their names, directories with their structure. */
    public static Manifest of(String id, List<Path> paths) throws IOException, TransferException {
        List<TransferFile> files = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path arg : paths) {
            Path abs = arg.toAbsolutePath().normalize();
            Path name = abs.getFileName();
            if (name == null || !names.add(name.toString())) {
                throw local("two arguments have the same name, or one is a root: " + arg);
            }
            if (Files.isDirectory(abs)) {
                try (Stream<Path> walk = Files.walk(abs)) { // symbolic links are not followed, and not sent
                    walk.sorted().forEach(p -> {
                        String rel = relative(abs.getParent(), p);
                        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                            dirs.add(rel);
                        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                            add(files, sources, rel, p);
                        }
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            } else if (Files.isRegularFile(abs)) {
                add(files, sources, name.toString(), abs);
            } else {
                throw local("not a file or directory: " + arg);
            }
        }
        for (TransferFile f : files) {
            SafePaths.check(f.path());
            if (f.size() > MAX_SIZE) {
                throw local(f.path() + " is larger than " + MAX_SIZE + " bytes");
            }
        }
        if (files.size() > MAX_FILES || dirs.size() > MAX_DIRS) {
            throw local("more than " + MAX_FILES + " files or directories");
        }
        return new Manifest(id, List.copyOf(files), List.copyOf(dirs), List.copyOf(sources));
    }

    private static void add(List<TransferFile> files, List<Path> sources, String rel, Path p) {
        try {
            files.add(new TransferFile(files.size(), rel, Files.size(p)));
            sources.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path base, Path p) {
        return base.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    /** Total bytes. */
    public long totalBytes() {
        return files.stream().mapToLong(TransferFile::size).sum();
    }

    /** The {@code files} messages. */
    public List<ObjectNode> messages() {
        List<ObjectNode> out = new ArrayList<>();
        int fi = 0;
        int di = 0;
        do {
            ObjectNode m = Json.message("files").put("id", id);
            ArrayNode fa = m.putArray("files");
            ArrayNode da = m.putArray("dirs");
            for (int n = 0; n < PER_MESSAGE && fi < files.size(); n++, fi++) {
                fa.addObject().put("p", files.get(fi).path()).put("s", files.get(fi).size());
            }
            for (int n = fa.size(); n < PER_MESSAGE && di < dirs.size(); n++, di++) {
                da.add(dirs.get(di));
            }
            m.put("last", fi == files.size() && di == dirs.size());
            out.add(m);
        } while (fi < files.size() || di < dirs.size());
        return out;
    }

    /** Reads {@code files} messages from {@code link} until the last; every path checked safe. */
    public static Manifest receive(PeerLink link, Duration timeout) throws TransferException, InterruptedException {
        List<TransferFile> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String id = null;
        while (true) {
            JsonNode m = link.next(timeout);
            if (!"files".equals(Json.type(m))) {
                throw Json.protocol("'" + Json.type(m) + "' where the list of files was expected");
            }
            String mid = Json.text(m, "id", 32);
            if (!mid.matches("[0-9a-f]{32}") || id != null && !id.equals(mid)) {
                throw Json.protocol("a bad transfer id");
            }
            id = mid;
            JsonNode fa = m.path("files");
            JsonNode da = m.path("dirs");
            if (!fa.isArray() || !da.isArray() || fa.size() + da.size() > PER_MESSAGE) {
                throw Json.protocol("a bad list of files");
            }
            for (JsonNode f : fa) {
                String p = SafePaths.check(Json.text(f, "p", SafePaths.MAX_PATH));
                if (!seen.add(p)) {
                    throw Json.protocol("the same path twice: " + p);
                }
                files.add(new TransferFile(files.size(), p, Json.number(f, "s", 0, MAX_SIZE)));
            }
            for (JsonNode d : da) {
                if (!d.isTextual()) {
                    throw Json.protocol("a bad directory name");
                }
                dirs.add(SafePaths.check(d.asText()));
            }
            if (files.size() > MAX_FILES || dirs.size() > MAX_DIRS) {
                throw Json.protocol("more than " + MAX_FILES + " files or directories");
            }
            if (m.path("last").asBoolean(false)) {
                return new Manifest(id, List.copyOf(files), List.copyOf(dirs), List.of());
            }
        }
    }

    private static TransferException local(String why) {
        return new TransferException(TransferException.Reason.LOCAL, why);
    }
}
