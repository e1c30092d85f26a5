import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Build step of codec-opus (run by the pom with the JDK's source launcher): Concentus's published sources, unpacked
 * by the dependency plugin, moved into our package and our patch applied, written where the compiler looks.
 *
 * <p>Arguments: the unpacked sources jar, the output source root, the patch (a unified diff against the moved
 * sources, paths relative to the output root under {@code a/} and {@code b/}). A hunk must match exactly where it
 * says or within a few lines of it; anything else stops the build, so a changed upstream source is noticed.
 * Files whose content did not change are not rewritten, so the compiler's up-to-date check keeps working.
 */
public final class ConcentusSources {

    static final String FROM = "io.github.jaredmdobson.concentus";
    static final String TO = "org.rtc4j.codec.opus.internal";
    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");
    private static final int FUZZ = 50;

    public static void main(String[] args) throws IOException {
        Path sources = Path.of(args[0]).resolve(FROM.replace('.', '/'));
        Path out = Path.of(args[1]);
        Path patch = Path.of(args[2]);
        String dir = TO.replace('.', '/') + "/";
        Map<String, List<String>> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(sources)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(p);
                String moved = text.replace("package " + FROM + ";", "package " + TO + ";");
                if (moved.equals(text) || moved.contains(FROM)) {
                    throw new IllegalStateException("unexpected package references in " + p);
                }
                files.put(dir + p.getFileName(), new ArrayList<>(Arrays.asList(moved.split("\n", -1))));
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no sources under " + sources);
        }
        apply(Files.readAllLines(patch), files);
        Path target = out.resolve(dir);
        Files.createDirectories(target);
        try (Stream<Path> s = Files.list(target)) {
            for (Path stale : s.filter(f -> !files.containsKey(dir + f.getFileName())).toList()) {
                Files.delete(stale);
            }
        }
        files.forEach((name, lines) -> write(out.resolve(name), String.join("\n", lines)));
    }

    /** Applies every hunk of a unified diff to the files it names (in place). */
    static void apply(List<String> diff, Map<String, List<String>> files) {
        List<String> file = null;
        String name = null;
        int shift = 0;   // lines added minus removed so far in this file
        for (int i = 0; i < diff.size(); i++) {
            String line = diff.get(i);
            if (line.startsWith("+++ ")) {
                name = line.substring(4).split("\t")[0].replaceFirst("^b/", "");
                file = files.get(name);
                shift = 0;
                if (file == null) {
                    if (!diff.get(i - 1).startsWith("--- /dev/null")) {
                        throw new IllegalStateException("the patch changes a file Concentus lacks: " + name);
                    }
                    file = new ArrayList<>();
                    files.put(name, file);
                }
                continue;
            }
            Matcher h = HUNK.matcher(line);
            if (!h.matches()) {
                continue;
            }
            List<String> old = new ArrayList<>();
            List<String> neu = new ArrayList<>();
            int oldCount = h.group(2) == null ? 1 : Integer.parseInt(h.group(2));
            int newCount = h.group(4) == null ? 1 : Integer.parseInt(h.group(4));
            while (old.size() < oldCount || neu.size() < newCount) {
                String l = diff.get(++i);
                if (l.startsWith("\\")) {
                    continue;   // "\ No newline at end of file"
                }
                char c = l.isEmpty() ? ' ' : l.charAt(0);
                String body = l.isEmpty() ? "" : l.substring(1);
                if (c != '+') {
                    old.add(body);
                }
                if (c != '-') {
                    neu.add(body);
                }
            }
            int at = Math.max(0, Integer.parseInt(h.group(1)) - 1 + shift);
            if (oldCount == 0 && Integer.parseInt(h.group(1)) > 0) {
                at++;   // an insertion's line number names the line before it
            }
            int found = find(file, old, at);
            if (found < 0) {
                throw new IllegalStateException("hunk " + line + " of " + name + " does not match Concentus's source");
            }
            file.subList(found, found + old.size()).clear();
            file.addAll(found, neu);
            shift += neu.size() - old.size() + (found - at);
        }
    }

    private static int find(List<String> file, List<String> old, int at) {
        for (int d = 0; d <= FUZZ; d++) {
            for (int pos : new int[] {at - d, at + d}) {
                if (pos >= 0 && pos + old.size() <= file.size() && file.subList(pos, pos + old.size()).equals(old)) {
                    return pos;
                }
            }
        }
        return -1;
    }

    private static void write(Path path, String text) {
        try {
            if (!Files.exists(path) || !Files.readString(path).equals(text)) {
                Files.writeString(path, text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
