package org.rtc4j.codec.vp8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streams made by Debian's ffmpeg with libvpx over many settings decode to exactly the frames
 * libvpx decodes from them, compared frame by frame by the MD5 of each I420 picture.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Vp8ConformanceTest {

    private static final String NOISY = "testsrc2=s=%dx%d:r=30,noise=alls=15:allf=t+u";
    /** Motion that sends vectors past the frame's edges. */
    private static final String FAST = "testsrc=s=%dx%d:r=30,scroll=h=0.13:v=-0.09,noise=alls=10:allf=t";

    @TempDir
    Path dir;

    static Stream<Arguments> settings() {
        return Stream.of(
                // name, width, height, source (%d x %d), frames, libvpx options
                args("odd-size", 175, 97, "testsrc=s=%dx%d:r=30,noise=alls=15:allf=t+u", 12, "-b:v", "400k", "-g", "6"),
                args("tiny", 33, 17, "mandelbrot=s=%dx%d:r=30", 8, "-b:v", "50k"),
                args("mandelbrot-2M", 176, 144, "mandelbrot=s=%dx%d:r=30", 8, "-b:v", "2M", "-g", "30"),
                args("smpte-moving", 200, 150, "smptehdbars=s=%dx%d:r=30,scroll=h=0.02:v=0.01,noise=alls=8:allf=t",
                        10, "-b:v", "300k", "-g", "12"),
                args("low-rate", 176, 144, NOISY, 15, "-b:v", "20k", "-g", "100"),
                args("near-lossless", 176, 144, NOISY, 6, "-qmin", "0", "-qmax", "2", "-b:v", "20M"),
                args("key-every-3", 176, 144, NOISY, 9, "-b:v", "300k", "-g", "3"),
                args("fast-motion", 176, 144, FAST, 10, "-b:v", "400k"),
                args("fast-motion-full-pixel", 176, 144, FAST, 10, "-b:v", "400k", "-profile:v", "3"),
                args("error-resilient-realtime", 176, 144, NOISY, 12, "-b:v", "200k", "-error-resilient", "default",
                        "-deadline", "realtime", "-cpu-used", "8"),
                args("realtime-fast", 176, 144, NOISY, 10, "-b:v", "200k", "-deadline", "realtime",
                        "-cpu-used", "16", "-static-thresh", "0"),
                args("eight-partitions", 176, 144, NOISY, 8, "-b:v", "500k", "-slices", "8"),
                args("sharpness", 176, 144, NOISY, 8, "-b:v", "150k", "-sharpness", "6"),
                args("temporal-layers-3", 176, 144, NOISY, 12, "-b:v", "400k", "-ts-parameters",
                        "ts_number_layers=3:ts_target_bitrate=150,300,400:ts_layering_mode=3"),
                args("temporal-layers-2", 176, 144, NOISY, 8, "-b:v", "400k", "-ts-parameters",
                        "ts_number_layers=2:ts_target_bitrate=200,400:ts_layering_mode=2"),
                args("profile-1", 176, 144, NOISY, 8, "-b:v", "300k", "-profile:v", "1"),
                args("profile-2", 176, 144, NOISY, 8, "-b:v", "300k", "-profile:v", "2"),
                args("profile-3", 176, 144, NOISY, 8, "-b:v", "300k", "-profile:v", "3"),
                args("vga-1M", 640, 480, "testsrc2=s=%dx%d:r=30,noise=alls=10:allf=t+u", 6, "-b:v", "1M"));
    }

    private static Arguments args(String name, int w, int h, String source, int frames, String... options) {
        return Arguments.of(name, w, h, source.formatted(w, h), frames, List.of(options));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void decodesAsLibvpx(String name, int w, int h, String source, int frames, List<String> options) throws Exception {
        Path ivf = Libvpx.encode(dir.resolve(name + ".ivf"), source, frames, false, options);
        assertEquals(Libvpx.decodedMd5s(ivf, w, h), decode(new Vp8Decoder(), List.of(ivf)), name);
    }

    @Test
    void alternateReferenceFramesAreDecodedButNotShown() throws Exception {
        Path ivf = Libvpx.encode(dir.resolve("arf.ivf"), "testsrc2=s=176x144:r=30", 25, true,
                List.of("-b:v", "300k", "-auto-alt-ref", "1", "-lag-in-frames", "25", "-arnr-maxframes", "5"));
        List<byte[]> packets = Ivf.frames(ivf);
        List<String> ours = decode(new Vp8Decoder(), List.of(ivf));
        assertTrue(ours.size() < packets.size(), "some frames are hidden alternate references");
        assertEquals(Libvpx.decodedMd5s(ivf, 176, 144), ours);
    }

    @Test
    void frameSizeChangesAtKeyFrames() throws Exception {
        Path a = Libvpx.encode(dir.resolve("a.ivf"), NOISY.formatted(320, 240), 8, false, List.of("-b:v", "300k"));
        Path b = Libvpx.encode(dir.resolve("b.ivf"), "mandelbrot=s=161x91:r=30", 8, false, List.of("-b:v", "200k"));
        List<String> expected = new ArrayList<>(Libvpx.decodedMd5s(a, 320, 240));
        expected.addAll(Libvpx.decodedMd5s(b, 161, 91));
        expected.addAll(Libvpx.decodedMd5s(a, 320, 240));
        assertEquals(expected, decode(new Vp8Decoder(), List.of(a, b, a)));
    }

    /** Decodes the files one after another with one decoder; the MD5 of each frame shown. */
    static List<String> decode(Vp8Decoder decoder, List<Path> files) throws Exception {
        List<String> md5s = new ArrayList<>();
        for (Path f : files) {
            for (byte[] packet : Ivf.frames(f)) {
                Optional<Vp8Frame> frame = decoder.decode(packet);
                if (frame.isPresent()) {
                    byte[] i420 = frame.get().toI420();
                    md5s.add(Libvpx.md5(i420, 0, i420.length));
                }
            }
        }
        return md5s;
    }
}
