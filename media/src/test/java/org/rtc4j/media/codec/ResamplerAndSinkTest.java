package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.SyntheticVideo;
import org.rtc4j.media.VideoFrame;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/** The resampler against ideal signals, the G.711 adapters, and the decoding sink. */
class ResamplerAndSinkTest {

    static short[] tone(double freq, int rate, int frames, double amplitude) {
        short[] s = new short[frames];
        for (int i = 0; i < frames; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return s;
    }

    static short[] resample(AudioResampler r, short[] in, int rate, int channels, int chunk) {
        List<short[]> parts = new ArrayList<>();
        int frames = in.length / channels;
        for (int i = 0; i < frames; i += chunk) {
            int n = Math.min(chunk, frames - i);
            AudioFrame o = r.process(new AudioFrame(java.util.Arrays.copyOfRange(in, i * channels, (i + n) * channels),
                    rate, channels, i * 1_000_000L / rate));
            if (o != null) {
                parts.add(o.samples());
            }
        }
        AudioFrame rest = r.flush();
        if (rest != null) {
            parts.add(rest.samples());
        }
        return Tools.concat(parts);
    }

    @Test
    void cdRateToOpusRateIsCleanAndKeepsTime() {
        short[] in = tone(1000, 44_100, 44_100, 10_000);
        short[] out = resample(new AudioResampler(48_000, 1), in, 44_100, 1, 441);
        assertThat(out.length).isEqualTo(48_000);
        // Output sample n is the input's value at n / 48000 s: compare with the ideal tone, no lag allowed.
        short[] ideal = tone(1000, 48_000, 48_000, 10_000);
        assertThat(Tools.snr(ideal, out, 1, 0, 1000, 46_000)).isGreaterThan(60);
    }

    @Test
    void downsamplingRemovesWhatTheNewRateCannotCarry() {
        // 6 kHz cannot exist at 8 kHz (Nyquist 4 kHz); interpolation would fold it to 2 kHz at nearly full level.
        short[] out = resample(new AudioResampler(8000, 1), tone(6000, 48_000, 48_000, 20_000), 48_000, 1, 960);
        double rms = 0;
        for (int i = 800; i < 7200; i++) {
            rms += (double) out[i] * out[i];
        }
        assertThat(Math.sqrt(rms / 6400)).isLessThan(20_000 / Math.sqrt(2) / 1000);   // below -60 dB
        // 1 kHz passes at full level.
        short[] pass = resample(new AudioResampler(8000, 1), tone(1000, 48_000, 48_000, 20_000), 48_000, 1, 960);
        assertThat(Tools.snr(tone(1000, 8000, 8000, 20_000), pass, 1, 0, 400, 7000)).isGreaterThan(50);
    }

    @Test
    void channelsAreMixed() {
        AudioResampler toMono = new AudioResampler(48_000, 1);
        AudioFrame mono = toMono.process(new AudioFrame(new short[] {100, 300, -50, 50}, 48_000, 2, 0));
        assertThat(mono.samples()).containsExactly(200, 0);
        AudioResampler toStereo = new AudioResampler(48_000, 2);
        AudioFrame stereo = toStereo.process(new AudioFrame(new short[] {7, -9}, 48_000, 1, 0));
        assertThat(stereo.samples()).containsExactly(7, 7, -9, -9);
        AudioFrame same = new AudioFrame(new short[] {1, 2}, 48_000, 2, 5);
        assertThat(new AudioResampler(48_000, 2).process(same)).isEqualTo(same);
    }

    @Test
    void g711AdaptersTakeAnyAudioAndConcealWithSilence() {
        G711Encoder enc = new G711Encoder(Codec.PCMA, 20);
        List<EncodedFrame> packets = new ArrayList<>();
        short[] stereo = new short[48_000 * 2];
        short[] t = tone(440, 48_000, 48_000, 8000);
        for (int i = 0; i < 48_000; i++) {
            stereo[2 * i] = t[i];
            stereo[2 * i + 1] = t[i];
        }
        for (int i = 0; i < 48_000; i += 480) {
            packets.addAll(enc.encode(new AudioFrame(java.util.Arrays.copyOfRange(stereo, 2 * i, 2 * i + 960), 48_000, 2,
                    i * 1_000_000L / 48_000)));
        }
        assertThat(packets.size()).isBetween(49, 50);
        for (int i = 0; i < packets.size(); i++) {
            assertThat(packets.get(i).data()).hasSize(160);
            assertThat(packets.get(i).timestamp()).isEqualTo(160L * i);
        }
        G711Decoder dec = new G711Decoder(Codec.PCMA);
        AudioFrame a = dec.decode(packets.get(10));
        AudioFrame b = dec.decode(packets.get(11));
        assertThat(b.timestampMicros() - a.timestampMicros()).isEqualTo(20_000);
        double rms = 0;
        for (short x : a.samples()) {
            rms += (double) x * x;
        }
        assertThat(Math.sqrt(rms / 160)).isBetween(8000 / Math.sqrt(2) * 0.9, 8000 / Math.sqrt(2) * 1.1);
        AudioFrame lost = dec.conceal();
        assertThat(lost.samples()).hasSize(160).containsOnly((short) 0);
        assertThat(lost.timestampMicros()).isEqualTo(b.timestampMicros() + 20_000);
    }

    @Test
    void decodingSinkHandsOverRawFramesAndCountsWhatItCannotDecode() {
        List<AudioFrame> audio = new ArrayList<>();
        List<VideoFrame> video = new ArrayList<>();
        DecodingSink sink = new DecodingSink(new MediaSink() {
            @Override
            public void onAudioFrame(AudioFrame frame) {
                audio.add(frame);
            }

            @Override
            public void onVideoFrame(VideoFrame frame) {
                video.add(frame);
            }
        });
        OpusEncoder opus = new OpusEncoder(OpusSettings.voiceDefaults());
        for (EncodedFrame f : opus.encode(AudioFrame.silence(48_000, 1, 960, 0))) {
            sink.onEncodedFrame(f);
        }
        sink.onEncodedFrame(G711.encode(new AudioFrame(new short[160], 8000, 1, 0), Codec.PCMU));
        H264Encoder h264 = new H264Encoder(200_000);
        SyntheticVideo pattern = new SyntheticVideo(64, 48, 30);
        sink.onEncodedFrame(h264.encode(pattern.frame(0)));
        sink.onEncodedFrame(h264.encode(pattern.frame(1)));
        assertThat(audio).extracting(AudioFrame::sampleRate).containsExactly(48_000, 8000);
        assertThat(audio.get(0).channels()).isEqualTo(2);
        assertThat(video).hasSize(2).allMatch(v -> v.width() == 64 && v.height() == 48);

        sink.onEncodedFrame(new EncodedFrame(Codec.VP9, new byte[10], 0, true));
        sink.onEncodedFrame(new EncodedFrame(Codec.OPUS, new byte[] {(byte) 0xFB, (byte) 0x3F}, 960, true));
        sink.onEncodedFrame(new EncodedFrame(Codec.H264, new byte[] {0, 0, 1, 0x65, 1, 2, 3}, 3000, true));
        assertThat(sink.unsupported()).isEqualTo(1);
        assertThat(sink.dropped()).isEqualTo(2);
        AudioFrame pcm = AudioFrame.silence(8000, 1, 80, 0);
        sink.onAudioFrame(pcm);
        assertThat(audio.get(audio.size() - 1)).isSameAs(pcm);
    }
}
