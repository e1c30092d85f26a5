package org.rtc4j.rtp.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * AV1 has no RTP payloader in Debian's ffmpeg or GStreamer: the temporal units of a file that ffmpeg's libaom
 * encoder made go through our packetizer and depacketizer, must come back with the same OBUs, and the rebuilt
 * stream must decode in ffmpeg without an error, every frame.
 */
@Timeout(60)
class Av1FilesTest {

    @TempDir
    Path dir;

    @Test
    void libaomTemporalUnitsSurviveTheRoundTripAndDecode() throws Exception {
        Path file = MediaFiles.encode(dir, "av1.ivf", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30",
                "-frames:v", "30", "-c:v", "libaom-av1", "-cpu-used", "8", "-usage", "realtime", "-b:v", "2M",
                "-g", "10");
        List<byte[]> units = MediaFiles.ivf(file);
        assertThat(units).hasSize(30);
        for (int mtu : new int[] {1200, 200}) {
            Packetizer p = PayloadFormats.packetizer(Codec.AV1);
            Depacketizer d = PayloadFormats.depacketizer(Codec.AV1);
            ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
            int packets = 0;
            int keys = 0;
            for (int i = 0; i < units.size(); i++) {
                byte[] tu = units.get(i);
                List<byte[]> obus = MediaFiles.obusWithoutDelimiters(tu);
                boolean key = obus.stream().anyMatch(o -> ((o[0] >>> 3) & 0xF) == 1);    // sequence header
                EncodedFrame f = new EncodedFrame(Codec.AV1, tu, i * 3000L, key);
                Packets sent = Packets.of(p, f, mtu);
                packets += sent.size();
                for (int k = 0; k < sent.size() - 1; k++) {
                    assertThat(sent.get(k).length).as("aggregated: packet %d of TU %d is full", k, i)
                            .isGreaterThan(mtu - 4);
                }
                if (key) {
                    assertThat((sent.get(0)[0] >>> 4) & 3).as("sequence header and frame share a packet (W)")
                            .isEqualTo(2);
                }
                assertThat((sent.get(0)[0] & 0x08) != 0).as("N bit of TU %d", i).isEqualTo(key);
                assertThat(sent.get(0)[0] & 0x80).as("Z bit of the first packet").isZero();
                EncodedFrame back = sent.depacketize(d, i * 3000L);
                assertThat(MediaFiles.obusWithoutDelimiters(back.data()).stream().map(ByteBuffer::wrap).toList())
                        .isEqualTo(obus.stream().map(ByteBuffer::wrap).toList());
                assertThat(back.keyFrame()).isEqualTo(key);
                keys += key ? 1 : 0;
                rebuilt.writeBytes(back.data());
            }
            assertThat(keys).isEqualTo(3);
            assertThat(packets).as("fragmented").isGreaterThan(units.size());
            Path obu = dir.resolve("rebuilt-" + mtu + ".obu");
            Files.write(obu, rebuilt.toByteArray());
            assertThat(decodedFrames(obu)).isEqualTo(units.size());
        }
    }

    /** Frames ffmpeg decodes from a low-overhead OBU stream (AV1 spec annex-less section 5), failing on errors. */
    private int decodedFrames(Path obu) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-f", "obu", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", obu.toString())
                .redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ffprobe hangs");
        }
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("ffprobe output (errors are printed)").matches("\\d+");
        return Integer.parseInt(out);
    }
}
