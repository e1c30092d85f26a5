package org.rtc4j.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.container.ContainerTrack;
import org.rtc4j.media.container.EncodedWriter;
import org.rtc4j.media.container.MatroskaWriter;
import org.rtc4j.media.container.OggOpusWriter;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each received track of {@code ./rtc4j call} into its own file in a directory, frames as they came
 * (no decoding): video in WebM (VP8, VP9, AV1) or Matroska (H.264, H.265) from its first key frame, Opus audio
 * in Ogg. Files are written on one thread of their own, never on a connection's loop.
 */
final class CallRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallRecorder.class);

    private final Path dir;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "rtc4j-call-recorder"));
    /** Touched only on the io thread. */
    private final List<EncodedWriter> writers = new ArrayList<>();
    private final List<Path> files = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong frames = new AtomicLong();

    CallRecorder(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Records {@code track}, received from {@code who}, until this recorder closes. */
    void record(String who, MediaStreamTrack track) {
        boolean video = track.kind() == MediaKind.VIDEO;
        String base = safe(who) + "-" + (video ? "video" : "audio") + "-" + safe(track.id());
        EncodedWriter[] writer = new EncodedWriter[1];
        boolean[] failed = new boolean[1];
        track.addSink(MediaSink.encoded(f -> io.execute(() -> {
            if (failed[0]) {
                return;
            }
            try {
                if (writer[0] == null) {
                    if (video && !f.keyFrame()) {
                        return; // a recording starts where a player can
                    }
                    writer[0] = open(base, f);
                    if (writer[0] == null) {
                        failed[0] = true;
                        return;
                    }
                }
                writer[0].write(0, f);
                frames.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                LOG.warn("recording {} stopped: {}", base, e.getMessage());
                failed[0] = true;
            }
        })));
    }

    private EncodedWriter open(String base, EncodedFrame first) throws IOException {
        Codec c = first.codec();
        EncodedWriter w;
        Path file;
        switch (c) {
            case OPUS -> w = OggOpusWriter.create(file = dir.resolve(base + ".ogg"), ContainerTrack.opus(2));
            case VP8, VP9, AV1 -> w = MatroskaWriter.createWebm(file = dir.resolve(base + ".webm"),
                    List.of(ContainerTrack.video(c, width(first), height(first))));
            case H264, H265 -> w = MatroskaWriter.createMatroska(file = dir.resolve(base + ".mkv"),
                    List.of(ContainerTrack.video(c, 0, 0)));
            default -> {
                LOG.info("not recording {}: no container here for {}", base, c);
                return null;
            }
        }
        writers.add(w);
        files.add(file);
        LOG.info("recording {}", file);
        return w;
    }

    /** A VP8 key frame's size (RFC 6386 section 9.1: 14 bits each after the start code), else 0. */
    private static int width(EncodedFrame f) {
        return f.codec() == Codec.VP8 && vp8Key(f.data()) ? (f.data()[6] & 0xff | (f.data()[7] & 0x3f) << 8) : 0;
    }

    private static int height(EncodedFrame f) {
        return f.codec() == Codec.VP8 && vp8Key(f.data()) ? (f.data()[8] & 0xff | (f.data()[9] & 0x3f) << 8) : 0;
    }

    private static boolean vp8Key(byte[] d) {
        return d.length >= 10 && (d[0] & 1) == 0 && (d[3] & 0xff) == 0x9d && (d[4] & 0xff) == 0x01
                && (d[5] & 0xff) == 0x2a;
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** Frames written so far. */
    long frames() {
        return frames.get();
    }

    /** The files begun so far (complete once closed). */
    List<Path> files() {
        return List.copyOf(files);
    }

    /** Writes what is queued and completes every file's headers. */
    @Override
    public void close() {
        io.execute(() -> {
            for (EncodedWriter w : writers) {
                try {
                    w.close();
                } catch (IOException e) {
                    LOG.warn("closing a recording: {}", e.getMessage());
                }
            }
        });
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
