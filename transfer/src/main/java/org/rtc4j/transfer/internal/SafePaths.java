package org.rtc4j.transfer.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.rtc4j.transfer.TransferException;

/**
 * Paths a sender names, made safe for the receiving disk: a hostile sender must not write outside the target
 * directory. A path is relative, '/'-separated, of plain names: no empty, {@code .} or {@code ..} component,
 * no '\\' or ':' (separators elsewhere), no control characters; and no existing component on the receiving
 * side may be a symbolic link, which is checked again while the directories are made.
 */
public final class SafePaths {

    public static final int MAX_PATH = 4096;
    public static final int MAX_NAME = 255;

    private SafePaths() {
    }

    /** {@code path} when it is safe; a protocol error that names it otherwise. */
    public static String check(String path) throws TransferException {
        if (path.isEmpty() || path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw unsafe(path, "empty or too long");
        }
        if (path.startsWith("/")) {
            throw unsafe(path, "absolute");
        }
        for (String name : path.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw unsafe(path, "an empty, '.' or '..' component");
            }
            if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
                throw unsafe(path, "a name longer than " + MAX_NAME + " bytes");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
                    throw unsafe(path, "a control character, '\\' or ':'");
                }
            }
        }
        return path;
    }

    /**
     * {@code root}/{@code path}, checked to stay under {@code root}; with {@code makeParents}, its parent
     * directories are made one at a time, refusing any that is a symbolic link.
     */
    public static Path resolve(Path root, String path, boolean makeParents) throws TransferException, IOException {
        check(path);
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw unsafe(path, "outside the target directory");
        }
        Path dir = root;
        String[] names = path.split("/");
        for (int i = 0; i < names.length - 1; i++) {
            dir = dir.resolve(names[i]);
            if (Files.isSymbolicLink(dir)) {
                throw unsafe(path, "it goes through the symbolic link " + dir);
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (!makeParents) {
                    return target;
                }
                try {
                    Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        throw unsafe(path, dir + " is not a directory");
                    }
                }
            } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw unsafe(path, dir + " is not a directory");
            }
        }
        if (Files.isSymbolicLink(target)) {
            throw unsafe(path, "it is a symbolic link");
        }
        return target;
    }

    /** Makes the directory {@code root}/{@code path} and its parents, refusing symbolic links on the way. */
    public static void directory(Path root, String path) throws TransferException, IOException {
        Path dir = resolve(root, path, true);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                throw unsafe(path, "it exists and is not a directory");
            }
        }
    }

    private static TransferException unsafe(String path, String why) {
        String shown = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        return new TransferException(TransferException.Reason.PROTOCOL,
                "the sender named an unsafe path (" + why + "): " + shown.replaceAll("\\p{Cntrl}", "?"));
    }
}
