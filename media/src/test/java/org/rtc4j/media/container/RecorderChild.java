package org.rtc4j.media.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A recorder in a process of its own, for the test that kills it: reads a file with our reader and records its
 * frames into {@code out} over and over (timestamps running on), until the test kills the process.
 * Arguments: source file, output file ("webm", "mkv", "ogg", "ivf" or, from a WAV source, "wav" by its extension).
 */
public final class RecorderChild {

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path out = Path.of(args[1]);
        if (out.toString().endsWith(".wav")) {
            recordWav(source, out);
        }
        List<TrackFrame> frames;
        List<ContainerTrack> tracks;
        try (EncodedReader r = FfmpegFilesReadTest.open(source)) {
            tracks = r.tracks();
            frames = FfmpegFilesReadTest.readAll(r);
        }
        long loopNanos = 400_000_000L; // the source clips are 0.34 s long
        EncodedWriter w = RecordingsReadByFfmpegTest.writer(out, tracks);
        long[] first = new long[tracks.size()];
        java.util.Arrays.fill(first, -1);
        for (int loop = 0; ; loop++) {
            for (TrackFrame f : frames) {
                int t = f.track();
                if (first[t] < 0) {
                    first[t] = f.frame().timestamp();
                }
                long ticks = (f.frame().timestamp() - first[t]) & 0xFFFF_FFFFL;
                long nanos = loop * loopNanos + ticks * 1_000_000_000L / f.frame().codec().clockRate();
                w.write(t, f.frame(), nanos);
            }
            System.out.println("loop " + loop);
            Thread.sleep(20);
            if (Files.size(out) < 0) {
                w.close(); // never: the process is killed mid-recording
            }
        }
    }

    /** The WAV source's samples written over and over with {@link WavWriter}, never closed. */
    private static void recordWav(Path source, Path out) throws Exception {
        List<org.rtc4j.media.AudioFrame> frames = new java.util.ArrayList<>();
        int rate;
        int channels;
        try (WavReader r = new WavReader(source)) {
            rate = r.sampleRate();
            channels = r.channels();
            for (org.rtc4j.media.MediaFrame f = r.read(); f != null; f = r.read()) {
                frames.add((org.rtc4j.media.AudioFrame) f);
            }
        }
        WavWriter w = WavWriter.create(out, rate, channels);
        for (int loop = 0; ; loop++) {
            for (org.rtc4j.media.AudioFrame f : frames) {
                w.write(f);
            }
            System.out.println("loop " + loop);
            Thread.sleep(20);
            if (Files.size(out) < 0) {
                w.close(); // never: the process is killed mid-recording
            }
        }
    }
}
