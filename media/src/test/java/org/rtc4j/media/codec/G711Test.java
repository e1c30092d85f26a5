package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** G.711 against the values of the ITU tables and, for every possible input, against ffmpeg's codecs. */
class G711Test {

    @TempDir
    Path dir;

    @Test
    void valuesFromTheItuTables() {
        // G.711 table 2a: µ-law code words of the smallest and largest magnitudes (all bits inverted on the line).
        assertThat(G711.muLawEncode((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.muLawEncode((short) -4)).isEqualTo((byte) 0x7F);
        assertThat(G711.muLawEncode(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
        assertThat(G711.muLawEncode(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
        // Decoder outputs: the middle of the interval, at 16-bit scale (table 2a value times 4).
        assertThat(G711.muLawDecode((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.muLawDecode((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.muLawDecode((byte) 0x00)).isEqualTo((short) -32124);
        // Table 1a: A-law, even bits inverted: +0 is 0xD5, decoded to +8 (table value 1 times 8).
        assertThat(G711.aLawEncode((short) 0)).isEqualTo((byte) 0xD5);
        assertThat(G711.aLawEncode((short) -8)).isEqualTo((byte) 0x55);
        assertThat(G711.aLawDecode((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.aLawDecode((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.aLawDecode((byte) 0x2A)).isEqualTo((short) -32256);
    }

    @Test
    void negativeSamplesCodeAsTheOnesComplementWithTheSignBitClear() {
        for (int x = Short.MIN_VALUE; x < 0; x++) {
            short s = (short) x;
            assertThat(G711.muLawEncode(s)).isEqualTo((byte) (G711.muLawEncode((short) ~s) & 0x7F));
            assertThat(G711.aLawEncode(s)).isEqualTo((byte) ((G711.aLawEncode((short) ~s) ^ 0x80)));
        }
    }

    @Test
    void everyCodeDecodesAndReencodesToItself() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            assertThat(G711.aLawEncode(G711.aLawDecode(code))).isEqualTo(code);
            if (c != 0x7F) {   // µ-law's negative zero (0x7F) re-encodes as positive zero (0xFF)
                assertThat(G711.muLawEncode(G711.muLawDecode(code))).isEqualTo(code);
            }
        }
    }

    @Test
    void sameBytesAsFfmpegForEverySixteenBitSample() throws Exception {
        byte[] all = new byte[65536 * 2];
        for (int i = 0; i < 65536; i++) {
            short s = (short) (i - 32768);
            all[2 * i] = (byte) s;
            all[2 * i + 1] = (byte) (s >> 8);
        }
        Path pcm = dir.resolve("all.s16le");
        Files.write(pcm, all);
        for (String format : List.of("mulaw", "alaw")) {
            Path out = dir.resolve("all." + format);
            ffmpeg("-f", "s16le", "-ar", "8000", "-ac", "1", "-i", pcm.toString(), "-f", format, out.toString());
            byte[] theirs = Files.readAllBytes(out);
            assertThat(theirs).hasSize(65536);
            int differ = 0;
            for (int i = 0; i < 65536; i++) {
                short s = (short) (i - 32768);
                byte ours = format.equals("mulaw") ? G711.muLawEncode(s) : G711.aLawEncode(s);
                if (s < 0) {
                    continue;   // ffmpeg's negative side is its positive side mirrored: checked by symmetry instead
                }
                if (ffmpegRoundsToTheNearestValue(s, format.equals("mulaw"))) {
                    // There ffmpeg's code is one step below G.711's, whose next segment starts here.
                    boolean mu = format.equals("mulaw");
                    assertThat(level(ours, mu) - level(theirs[i], mu)).as("sample %d", s).isEqualTo(1);
                } else if (ours != theirs[i]) {
                    differ++;
                }
            }
            assertThat(differ).as("%s encodings differing from ffmpeg's", format).isZero();

            byte[] codes = new byte[256];
            for (int i = 0; i < 256; i++) {
                codes[i] = (byte) i;
            }
            Path in = dir.resolve("codes." + format);
            Files.write(in, codes);
            Path decoded = dir.resolve("codes-" + format + ".s16le");
            ffmpeg("-f", format, "-ar", "8000", "-ac", "1", "-i", in.toString(), "-f", "s16le", decoded.toString());
            byte[] d = Files.readAllBytes(decoded);
            for (int i = 0; i < 256; i++) {
                short theirsPcm = (short) ((d[2 * i] & 0xFF) | d[2 * i + 1] << 8);
                short oursPcm = format.equals("mulaw") ? G711.muLawDecode((byte) i) : G711.aLawDecode((byte) i);
                assertThat(oursPcm).as("%s code %d", format, i).isEqualTo(theirsPcm);
            }
        }
    }

    /**
     * ffmpeg builds its encoders from the decoders, on 14-bit magnitudes, cutting halfway between decoded values,
     * while G.711 starts each segment whose step doubles at a fixed magnitude (in 14-bit units: µ-law, table 2a,
     * 2^(s+5) - 33 for s = 1..7; A-law, table 1a, 2^(s+5) for s = 2..7), an eighth of the new step below that
     * halfway point: there ffmpeg stays in the segment before.
     */
    private static boolean ffmpegRoundsToTheNearestValue(short sample, boolean muLaw) {
        int m = sample >> 2;
        for (int seg = muLaw ? 1 : 2; seg < 8; seg++) {
            int start = (1 << (seg + 5)) - (muLaw ? 33 : 0);
            int step = 1 << (seg + 1);
            if (m >= start && m < start + Math.max(1, step / 8)) {
                return true;
            }
        }
        return false;
    }

    /** The magnitude's quantisation level (0 to 127) of a code: µ-law inverts all bits, A-law the even ones. */
    private static int level(byte code, boolean muLaw) {
        return muLaw ? ~code & 0x7F : (code ^ 0x55) & 0x7F;
    }

    private static void ffmpeg(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void framesOfEightKilohertzMono() {
        AudioFrame a = new AudioFrame(new short[] {0, 1000, -1000, 32767}, 8_000, 1, 20_000);
        EncodedFrame u = G711.encode(a, Codec.PCMU);
        assertThat(u.timestamp()).isEqualTo(160);
        assertThat(u.data()).hasSize(4);
        AudioFrame back = G711.decode(u, 20_000);
        assertThat(back.sample(1, 0)).isBetween((short) 960, (short) 1040);
        assertThat(G711.decode(G711.encode(a, Codec.PCMA), 0).sample(2, 0)).isBetween((short) -1040, (short) -960);
        assertThatThrownBy(() -> G711.encode(AudioFrame.silence(48_000, 1, 480, 0), Codec.PCMU))
                .hasMessageContaining("8 kHz mono");
        assertThatThrownBy(() -> G711.encode(a, Codec.OPUS)).hasMessageContaining("not G.711");
    }
}
