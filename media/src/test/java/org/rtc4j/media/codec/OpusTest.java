package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** Opus on codec-opus (Concentus, improved): framing, timestamps, loss handling, and against libopus and ffmpeg. */
class OpusTest {

    @TempDir
    Path dir;

    /** Music-like stereo test signal: chords with a vibrato and a different mix on each side. */
    static short[] music(int frames, int channels) {
        short[] s = new short[frames * channels];
        for (int i = 0; i < frames; i++) {
            double t = i / 48_000.0;
            double vib = 1 + 0.01 * Math.sin(2 * Math.PI * 5 * t);
            double l = 0.3 * Math.sin(2 * Math.PI * 440 * vib * t) + 0.15 * Math.sin(2 * Math.PI * 1320 * t)
                    + 0.05 * Math.sin(2 * Math.PI * 5000 * t);
            double r = 0.25 * Math.sin(2 * Math.PI * 554 * t) + 0.2 * Math.sin(2 * Math.PI * 330 * vib * t);
            s[i * channels] = (short) (l * 32767);
            if (channels == 2) {
                s[i * channels + 1] = (short) (r * 32767);
            }
        }
        return s;
    }

    /** Speech-like: a 140 Hz buzz through formants, syllables of 200 ms. */
    static short[] voice(int frames) {
        short[] s = new short[frames];
        for (int i = 0; i < frames; i++) {
            double t = i / 48_000.0;
            double env = Math.max(0, Math.sin(Math.PI * t / 0.2 % Math.PI));
            double v = 0;
            for (int h = 1; h < 25; h++) {
                double f = 140 * h;
                double formant = Math.exp(-Math.pow((f - 700) / 300, 2)) + 0.5 * Math.exp(-Math.pow((f - 1800) / 400, 2));
                v += formant * Math.sin(2 * Math.PI * f * t) / h;
            }
            s[i] = (short) (env * v * 9000);
        }
        return s;
    }

    static List<EncodedFrame> encodeAll(OpusEncoder enc, short[] s, int rate, int channels, int chunkFrames) {
        List<EncodedFrame> out = new ArrayList<>();
        int frames = s.length / channels;
        for (int i = 0; i < frames; i += chunkFrames) {
            int n = Math.min(chunkFrames, frames - i);
            short[] chunk = java.util.Arrays.copyOfRange(s, i * channels, (i + n) * channels);
            out.addAll(enc.encode(new AudioFrame(chunk, rate, channels, 1_000_000L + i * 1_000_000L / rate)));
        }
        return out;
    }

    static short[] decodeAll(OpusDecoder dec, List<EncodedFrame> frames) {
        List<short[]> parts = new ArrayList<>();
        for (EncodedFrame f : frames) {
            parts.add(dec.decode(f).samples());
        }
        return Tools.concat(parts);
    }

    @Test
    void framesOfEveryDurationWithRtpTimestampsAt48kHz() {
        for (int ms : new int[] {10, 20, 40, 60}) {
            for (int ch = 1; ch <= 2; ch++) {
                OpusEncoder enc = new OpusEncoder(OpusSettings.musicDefaults().withChannels(ch).withFrameMillis(ms));
                // 10 ms chunks in, as a microphone gives them; 1.2 s.
                List<EncodedFrame> packets = encodeAll(enc, music(57_600, ch), 48_000, ch, 480);
                assertThat(packets).hasSize(1200 / ms);
                for (int i = 0; i < packets.size(); i++) {
                    assertThat(packets.get(i).codec()).isEqualTo(Codec.OPUS);
                    assertThat(packets.get(i).timestamp()).isEqualTo(48_000L + i * 48L * ms);
                }
                OpusDecoder dec = new OpusDecoder(ch);
                AudioFrame first = dec.decode(packets.get(0));
                assertThat(first.samplesPerChannel()).isEqualTo(48 * ms);
                assertThat(first.channels()).isEqualTo(ch);
                assertThat(first.timestampMicros()).isZero();
                assertThat(dec.decode(packets.get(1)).timestampMicros()).isEqualTo(ms * 1000L);
            }
        }
    }

    @Test
    void encodeDecodeKeepsTheSignalAndTheBitRate() {
        short[] in = music(96_000, 2);
        OpusEncoder enc = new OpusEncoder(OpusSettings.musicDefaults());
        List<EncodedFrame> packets = encodeAll(enc, in, 48_000, 2, 960);
        long bytes = packets.stream().mapToLong(p -> p.data().length).sum();
        assertThat(bytes * 8 / 2.0).isBetween(64_000 * 0.8, 64_000 * 1.2);
        short[] out = decodeAll(new OpusDecoder(2), packets);
        double snr = Tools.snr(java.util.Arrays.copyOfRange(in, 0, in.length), shift(out, enc.lookahead() * 2),
                2, 0, 4800, 80_000);
        assertThat(snr).isGreaterThan(10);
    }

    @Test
    void otherRatesAreResampledTo48kHz() {
        OpusEncoder enc = new OpusEncoder(OpusSettings.voiceDefaults());
        // One second of 8 kHz mono (G.711's format) in 20 ms chunks: 50 packets of 20 ms, less the filter's lag.
        short[] s = new short[8000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        List<EncodedFrame> packets = encodeAll(enc, s, 8000, 1, 160);
        assertThat(packets.size()).isBetween(49, 50);
        OpusDecoder dec = new OpusDecoder(1);
        AudioFrame decoded = null;
        for (int i = 0; i <= 30; i++) {
            decoded = dec.decode(packets.get(i));
        }
        double rms = 0;
        for (short x : decoded.samples()) {
            rms += (double) x * x;
        }
        assertThat(Math.sqrt(rms / decoded.samples().length)).isBetween(8000 / Math.sqrt(2) * 0.7,
                8000 / Math.sqrt(2) * 1.3);
    }

    @Test
    void inbandFecRebuildsALostPacketBetterThanConcealment() {
        short[] in = voice(48_000);
        // SILK spends bits on FEC only above about 16 kbit/s of its own (libopus silk_setup_LBRR): 32 kbit/s.
        OpusEncoder enc = new OpusEncoder(OpusSettings.voiceDefaults().withInbandFec(20));
        List<EncodedFrame> packets = encodeAll(enc, in, 48_000, 1, 960);
        int lost = 23;   // mid-syllable
        OpusDecoder fecDecoder = new OpusDecoder(1);
        OpusDecoder plcDecoder = new OpusDecoder(1);
        OpusDecoder clean = new OpusDecoder(1);
        for (int i = 0; i < lost; i++) {
            fecDecoder.decode(packets.get(i));
            plcDecoder.decode(packets.get(i));
            clean.decode(packets.get(i));
        }
        short[] reference = clean.decode(packets.get(lost)).samples();
        AudioFrame fec = fecDecoder.decodeFec(packets.get(lost + 1));
        AudioFrame plc = plcDecoder.conceal();
        assertThat(fec.samplesPerChannel()).isEqualTo(960);
        assertThat(plc.samplesPerChannel()).isEqualTo(960);
        assertThat(fec.timestampMicros()).isEqualTo(lost * 20_000L);
        assertThat(fec.samples()).isNotEqualTo(plc.samples());
        double fecSnr = Tools.snr(reference, fec.samples(), 1, 0, 0, 960);
        double plcSnr = Tools.snr(reference, plc.samples(), 1, 0, 0, 960);
        assertThat(fecSnr).isGreaterThan(plcSnr + 3);
        // Decoding goes on normally after either.
        assertThat(fecDecoder.decode(packets.get(lost + 1)).samplesPerChannel()).isEqualTo(960);
        assertThat(plcDecoder.decode(packets.get(lost + 1)).samplesPerChannel()).isEqualTo(960);
    }

    @Test
    void dtxSendsAlmostNothingInSilence() {
        OpusEncoder enc = new OpusEncoder(OpusSettings.voiceDefaults().withDtx(true));
        short[] s = voice(48_000);
        short[] withSilence = java.util.Arrays.copyOf(s, 48_000 * 4);   // 1 s of voice, then 3 s of silence
        List<EncodedFrame> packets = encodeAll(enc, withSilence, 48_000, 1, 960);
        assertThat(enc.suppressedPackets()).isGreaterThan(100);
        assertThat(packets.size()).isLessThan(100);
        // The receiver conceals the gaps: comfort noise, quiet.
        OpusDecoder dec = new OpusDecoder(1);
        dec.decode(packets.get(packets.size() - 1));
        AudioFrame cng = dec.conceal();
        assertThat(cng.samplesPerChannel()).isEqualTo(960);
        for (short x : cng.samples()) {
            assertThat(Math.abs(x)).isLessThan(2000);
        }
    }

    @Test
    void malformedPacketsAreRefusedAndCounted() {
        OpusDecoder dec = new OpusDecoder(2);
        // TOC code 3 (RFC 6716 section 3.2.5) claiming 63 frames of 60 ms: over 120 ms.
        assertThatThrownBy(() -> dec.decode(new EncodedFrame(Codec.OPUS, new byte[] {(byte) 0xFB, (byte) 0x3F}, 0,
                true))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> dec.decode(new EncodedFrame(Codec.OPUS, new byte[0], 0, true)))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> dec.decode(new EncodedFrame(Codec.PCMU, new byte[1], 0, true)))
                .hasMessageContaining("not Opus");
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[1 + r.nextInt(300)];
            r.nextBytes(junk);
            try {
                dec.decode(new EncodedFrame(Codec.OPUS, junk, i * 960L, true));
            } catch (IllegalArgumentException expected) {
                // refused cleanly
            }
        }
        assertThat(dec.malformed()).isGreaterThan(0);
        // Still decodes good packets.
        OpusEncoder enc = new OpusEncoder(OpusSettings.musicDefaults());
        List<EncodedFrame> good = encodeAll(enc, music(960, 2), 48_000, 2, 960);
        assertThat(dec.decode(good.get(0)).samplesPerChannel()).isEqualTo(960);
    }

    @Test
    void ffmpegDecodesOursAndWeDecodeLibopusAndOurQualityIsWithin1DbOfLibopus() throws Exception {
        int frames = 48_000 * 3;
        short[] in = music(frames, 2);
        Path raw = dir.resolve("in.raw");
        Tools.writeS16(raw, in);
        // Both bit-rate modes a call uses: constant (cbr=1) and libopus's default, constrained VBR. (Unconstrained
        // VBR is not compared: libopus spends twice the target, 126 kbit/s, on this tonal signal.)
        for (boolean cbr : new boolean[] {true, false}) {
            String mode = cbr ? "CBR" : "CVBR";
            OpusEncoder enc = new OpusEncoder(OpusSettings.musicDefaults().withConstantBitrate(cbr));
            List<EncodedFrame> packets = encodeAll(enc, in, 48_000, 2, 960);
            if (cbr) {
                assertThat(packets.stream().mapToInt(p -> p.data().length).distinct()).containsExactly(160);
            }
            // Ours: written as Ogg Opus and decoded by ffmpeg (libopus), and decoded by us: the two agree.
            Path ours = dir.resolve("ours-" + mode + ".opus");
            OggOpusTestFile.write(ours, packets.stream().map(EncodedFrame::data).toList(), 2, enc.lookahead(), 960);
            short[] byFfmpeg = ffmpegDecode(ours);
            short[] byUs = shift(decodeAll(new OpusDecoder(2), packets), enc.lookahead() * 2);
            assertThat(byFfmpeg.length / 2).isBetween(frames - 960 - enc.lookahead(), frames);
            // (ffmpeg's output has already dropped the pre-skip.)
            assertThat(Tools.snr(byUs, byFfmpeg, 2, 0, 0, frames - 2000)).isGreaterThan(40);
            double oursSnr = Tools.snr(in, byUs, 2, 0, 4800, frames - 9600);

            // libopus through ffmpeg: same bit rate, mode, frame size and complexity.
            Path theirs = dir.resolve("theirs-" + mode + ".opus");
            Tools.run("ffmpeg", "-v", "error", "-f", "s16le", "-ar", "48000", "-ac", "2", "-i", raw.toString(),
                    "-c:a", "libopus", "-b:a", "64k", "-vbr", cbr ? "off" : "constrained", "-frame_duration", "20",
                    "-compression_level", "10", theirs.toString());
            short[] libopusByFfmpeg = ffmpegDecode(theirs);
            double libopusSnr = Tools.snr(in, libopusByFfmpeg, 2, 0, 4800, frames - 9600);

            // Ours decodes libopus's packets as ffmpeg does.
            int preSkip = OggOpusTestFile.preSkip(theirs);
            OpusDecoder dec = new OpusDecoder(2);
            List<short[]> parts = new ArrayList<>();
            long ts = 0;
            for (byte[] p : OggOpusTestFile.readPackets(theirs)) {
                AudioFrame a = dec.decode(new EncodedFrame(Codec.OPUS, p, ts, true));
                ts += a.samplesPerChannel();
                parts.add(a.samples());
            }
            short[] libopusByUs = shift(Tools.concat(parts), preSkip * 2);
            assertThat(Tools.snr(libopusByFfmpeg, libopusByUs, 2, 0, 0, frames - 2000)).isGreaterThan(40);

            System.out.printf("Opus 64 kbit/s stereo %s SNR: ours %.2f dB, libopus %.2f dB%n", mode, oursSnr,
                    libopusSnr);
            // Measured here (Debian's libopus through ffmpeg): CBR ours 25.27 dB, libopus 25.33; CVBR ours 25.31,
            // libopus 25.49. Concentus as published (libopus 1.1's encoder) gave 22.28 and 22.08: codec-opus ports
            // libopus 1.2's leakage model and dynalloc cap (its README); the rest of the gap is mostly 1.3's band
            // importance in the TF analysis (libopus 3e3a2ff1), not ported.
            assertThat(oursSnr).as("%s SNR against libopus's %.2f dB", mode, libopusSnr).isGreaterThan(libopusSnr - 1);
        }
    }

    private short[] ffmpegDecode(Path opus) throws Exception {
        Path decoded = dir.resolve(opus.getFileName() + ".raw");
        Tools.run("ffmpeg", "-v", "error", "-i", opus.toString(), "-f", "s16le", "-ar", "48000", "-ac", "2",
                decoded.toString());
        return Tools.readS16(decoded);
    }

    private static short[] shift(short[] s, int by) {
        return java.util.Arrays.copyOfRange(s, Math.min(by, s.length), s.length);
    }
}
