package org.rtc4j.media.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's ffmpeg, ffprobe and python3-av (tools we did not write) on files, with a time bound. */
final class MediaTools {

    private MediaTools() {
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Path errFile = Files.createTempFile("tool", ".err");
        Path outFile = Files.createTempFile("tool", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(errFile);
            Files.deleteIfExists(outFile);
        }
    }

    /** Runs ffmpeg quietly; fails the test on any error output. */
    static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        assertThat(r.exit()).as("ffmpeg %s: %s", cmd, r.err()).isZero();
    }

    /** One packet as ffprobe lists it. */
    record Packet(int stream, long pts, long size, boolean key) {
    }

    /** ffprobe's packet list, pts in each stream's time base (Long.MIN_VALUE where it has none). */
    static List<Packet> packets(Path file) throws IOException, InterruptedException {
        Result r = run(List.of("ffprobe", "-v", "error", "-show_entries", "packet=stream_index,pts,size,flags",
                "-of", "csv=p=0", file.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        List<Packet> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            out.add(new Packet(Integer.parseInt(f[0]), f[1].equals("N/A") ? Long.MIN_VALUE : Long.parseLong(f[1]),
                    Long.parseLong(f[2]), f[3].startsWith("K")));
        }
        return out;
    }

    /** The time base of each stream: {num, den}. */
    static List<long[]> timeBases(Path file) throws IOException, InterruptedException {
        Result r = run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=time_base", "-of", "csv=p=0",
                file.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        List<long[]> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (!line.isBlank()) {
                String[] f = line.trim().split("/");
                out.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
            }
        }
        return out;
    }

    /** An ffprobe entry of the first stream of a kind ("v" or "a"), e.g. codec_name, nb_read_packets. */
    static String stream(Path file, String kind, String entry) throws IOException, InterruptedException {
        Result r = run(List.of("ffprobe", "-v", "error", "-count_packets", "-select_streams", kind, "-show_entries",
                "stream=" + entry, "-of", "csv=p=0", file.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().trim();
    }

    /** ffprobe's hex dump of the video stream's extradata (CodecPrivate in Matroska). */
    static String videoExtradata(Path file) throws IOException, InterruptedException {
        Result r = run(List.of("ffprobe", "-v", "error", "-select_streams", "v", "-show_data", "-show_entries",
                "stream=extradata", "-of", "default", file.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().trim();
    }

    static double formatDuration(Path file) throws IOException, InterruptedException {
        Result r = run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                file.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        return Double.parseDouble(r.out().trim());
    }

    /** A full decode: ffmpeg's error output (empty when every frame decodes). */
    static String decodeErrors(Path file, String... inputOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error"));
        cmd.addAll(List.of(inputOptions));
        // Frames keep the file's own times (-enc_time_base -1): rounding variable-rate video (a browser's) to a
        // guessed frame rate makes the null muxer complain of equal timestamps, which is no decoding error.
        cmd.addAll(List.of("-i", file.toString(), "-enc_time_base", "-1", "-fps_mode", "passthrough", "-f", "null",
                "-"));
        Result r = run(cmd);
        return r.exit() == 0 ? r.err().trim() : "exit " + r.exit() + ": " + r.err();
    }

    /** MD5 of each decoded frame of the first video or audio stream ("v:0", "a:0"), in order. */
    static List<String> frameMd5(Path file, String stream, String... inputOptions)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error"));
        cmd.addAll(List.of(inputOptions));
        cmd.addAll(List.of("-i", file.toString(), "-map", "0:" + stream, "-enc_time_base", "-1", "-fps_mode",
                "passthrough", "-f", "framemd5", "-"));
        Result r = run(cmd);
        List<String> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] f = line.split(",");
                out.add(f[f.length - 1].trim());
            }
        }
        return out;
    }

    /** PyAV (python3-av): "codec frames" per stream after decoding every packet. */
    static String pyav(Path file) throws IOException, InterruptedException {
        String script = """
                import av, sys
                c = av.open(sys.argv[1])
                counts = {s.index: 0 for s in c.streams}
                for packet in c.demux():
                    for frame in packet.decode():
                        counts[packet.stream.index] += 1
                print(" ".join(f"{s.codec_context.name}:{counts[s.index]}" for s in c.streams))
                """;
        Result r = run(List.of("/usr/bin/python3", "-c", script, file.toString()));
        assertThat(r.exit()).as("python3-av: %s", r.err()).isZero();
        return r.out().trim();
    }
}
