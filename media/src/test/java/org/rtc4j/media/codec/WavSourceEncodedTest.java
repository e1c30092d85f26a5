package org.rtc4j.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.media.AudioFrame;
import org.rtc4j.media.FramePacer;
import org.rtc4j.media.FrameReaderDevice;
import org.rtc4j.media.MediaDeviceInfo;
import org.rtc4j.media.MediaDeviceKind;
import org.rtc4j.media.MediaDevices;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaSettings;
import org.rtc4j.media.MediaSink;
import org.rtc4j.media.MediaStreamConstraints;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.MediaTrackSettings;
import org.rtc4j.media.container.WavReader;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * A WAV file (ffmpeg's 1 kHz tone, 44.1 kHz stereo) played as a file source and encoded on the fly: its frames
 * come out when their time comes, the Opus and G.711 encoders turn them into packets with continuous RTP
 * timestamps, and ffmpeg decodes those packets back to the tone.
 */
class WavSourceEncodedTest {

    private static final int TONE = 1000;

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() {
        LoopbackNamespace.require();
    }

    private static Path wav(String name, double seconds) throws Exception {
        Path file = dir.resolve(name);
        Tools.run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=" + TONE + ":r=44100:d=" + seconds,
                "-ac", "2", "-c:a", "pcm_s16le", file.toString());
        return file;
    }

    /** On a fake clock: each 20 ms frame comes out at its time, not before; encoded, it decodes to the tone. */
    @Test
    void aWavFilePacedOnAFakeClockIsEncodedToOpusAndG711ThatFfmpegDecodesToTheTone() throws Exception {
        Path file = wav("paced.wav", 2);
        OpusEncoder opus = new OpusEncoder(OpusSettings.voiceDefaults().withDtx(false));
        G711Encoder pcmu = new G711Encoder(Codec.PCMU, 20);
        List<EncodedFrame> opusPackets = new ArrayList<>();
        List<EncodedFrame> pcmuPackets = new ArrayList<>();
        long start = 5_000_000;
        int frames = 0;
        try (WavReader reader = new WavReader(file)) {
            FramePacer pacer = new FramePacer(reader, false);
            for (long now = start; !pacer.isFinished() && now < start + 3_000_000; now += 5_000) {
                for (MediaFrame f; (f = pacer.poll(now)) != null; ) {
                    AudioFrame a = (AudioFrame) f;
                    // Due at the start plus its place in the file, handed out at the first poll at or after it.
                    assertThat(a.timestampMicros()).isEqualTo(start + frames * 20_000L);
                    assertThat(now - a.timestampMicros()).as("frame %d late by", frames).isBetween(0L, 4_999L);
                    assertThat(a.samplesPerChannel()).isEqualTo(882);
                    frames++;
                    opusPackets.addAll(opus.encode(a));
                    pcmuPackets.addAll(pcmu.encode(a));
                }
                if (!pacer.isFinished()) {
                    assertThat(pacer.nextDueMicros()).isGreaterThan(now);
                }
            }
            assertThat(pacer.isFinished()).isTrue();
        }
        assertThat(frames).isEqualTo(100);
        // 20 ms packets, less what the encoders still hold at the end (Opus: resampler delay and a partial frame).
        assertThat(opusPackets).hasSizeBetween(98, 100);
        assertThat(pcmuPackets).hasSizeBetween(98, 100);
        assertContinuous(opusPackets, 960);
        assertContinuous(pcmuPackets, 160);

        short[] opusPcm = ffmpegDecodesOpus(opusPackets, opus.lookahead(), "paced");
        assertThat(toneSnr(opusPcm, 2, 48_000)).as("Opus tone SNR, dB").isGreaterThan(20);
        Path mulaw = dir.resolve("paced.ul");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pcmuPackets.forEach(p -> bytes.writeBytes(p.data()));
        Files.write(mulaw, bytes.toByteArray());
        Path raw = dir.resolve("paced-ul.raw");
        Tools.run("ffmpeg", "-v", "error", "-y", "-f", "mulaw", "-ar", "8000", "-ac", "1", "-i", mulaw.toString(),
                "-f", "s16le", "-c:a", "pcm_s16le", raw.toString());
        short[] pcmuPcm = Tools.readS16(raw);
        assertThat(pcmuPcm.length).isEqualTo(pcmuPackets.size() * 160);
        assertThat(toneSnr(pcmuPcm, 1, 8_000)).as("G.711 tone SNR, dB").isGreaterThan(30);
    }

    /** The same file offered as a microphone: getUserMedia plays it in real time and a sink encodes it. */
    @Test
    void aWavFileOfferedAsAMicrophoneIsEncodedOnTheFlyToOpusThatFfmpegDecodesToTheTone() throws Exception {
        Path file = wav("mic.wav", 1);
        MediaDevices d = new MediaDevices(MediaSettings.defaults().withJavaSound(false).withScreenCapture(false));
        d.addDevice(new FrameReaderDevice(new MediaDeviceInfo("wav", MediaDeviceKind.AUDIOINPUT, "tone.wav", "f"),
                MediaTrackSettings.audio(44_100, 2, "", ""), () -> new WavReader(file), false));
        MediaStreamTrack t = d.getUserMedia(MediaStreamConstraints.of(true, false)).join().getAudioTracks()
                .getFirst();
        assertThat(t.getSettings().deviceId()).isEqualTo("wav");
        OpusEncoder opus = new OpusEncoder(OpusSettings.voiceDefaults().withDtx(false));
        List<EncodedFrame> packets = new CopyOnWriteArrayList<>();
        List<Long> times = new CopyOnWriteArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        t.onEnded(ended::countDown);
        t.addSink(MediaSink.audio(f -> {
            times.add(f.timestampMicros());
            packets.addAll(opus.encode(f)); // on the source's thread, as a sender's encoder runs
        }));
        assertThat(ended.await(20, TimeUnit.SECONDS)).isTrue();
        // The frames after the sink came in (all but the first few), 20 ms apart on one timeline.
        assertThat(times).hasSizeBetween(40, 50);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).isEqualTo(20_000);
        }
        assertThat(packets).hasSizeGreaterThanOrEqualTo(times.size() - 2);
        assertContinuous(packets, 960);
        short[] pcm = ffmpegDecodesOpus(packets, opus.lookahead(), "mic");
        assertThat(toneSnr(pcm, 2, 48_000)).as("Opus tone SNR, dB").isGreaterThan(20);
    }

    private static void assertContinuous(List<EncodedFrame> packets, int ticks) {
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).timestamp() - packets.get(i - 1).timestamp()).as("packet %d", i)
                    .isEqualTo(ticks);
        }
    }

    /** Our packets in an Ogg Opus file, decoded by ffmpeg (libopus) to 48 kHz stereo s16. */
    private static short[] ffmpegDecodesOpus(List<EncodedFrame> packets, int preSkip, String name) throws Exception {
        Path ogg = dir.resolve(name + ".opus.ogg");
        OggOpusTestFile.write(ogg, packets.stream().map(EncodedFrame::data).toList(), 2, preSkip, 960);
        Path raw = dir.resolve(name + ".opus.raw");
        Tools.run("ffmpeg", "-v", "error", "-y", "-c:a", "libopus", "-i", ogg.toString(), "-f", "s16le", "-ac", "2",
                "-ar", "48000", raw.toString());
        short[] pcm = Tools.readS16(raw);
        assertThat(pcm.length / 2).isGreaterThan((packets.size() - 2) * 960);
        return pcm;
    }

    /**
     * The first channel's power at {@link #TONE} against the rest, in dB, over a whole number of the tone's
     * periods after the first 100 ms (the codecs' start-up): a tone at another frequency or a wrong rate scores
     * near or below zero.
     */
    static double toneSnr(short[] interleaved, int channels, int rate) {
        int from = rate / 10;
        int n = (interleaved.length / channels - from) / (rate / TONE) * (rate / TONE);
        double c = 0;
        double s = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double x = interleaved[(from + i) * channels];
            double w = 2 * Math.PI * TONE * i / rate;
            c += x * Math.cos(w);
            s += x * Math.sin(w);
            total += x * x;
        }
        double tone = 2 * (c * c + s * s) / n;
        return 10 * Math.log10(tone / Math.max(total - tone, 1e-9));
    }
}
