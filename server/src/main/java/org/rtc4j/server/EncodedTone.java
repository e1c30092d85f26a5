package org.rtc4j.server;

import java.util.ArrayList;
import java.util.List;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaFrame;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.SyntheticAudio;
import org.rtc4j.media.TimedEncodedFrame;
import org.rtc4j.media.codec.OpusEncoder;
import org.rtc4j.media.codec.OpusSettings;
import org.rtc4j.rtp.EncodedFrame;

/**
 * The synthetic tone ({@link SyntheticAudio}: 440 Hz, and a beep in the first 100 ms of every second) in Opus,
 * 20 ms a packet: an endless {@link FrameReader} for a {@code PacedSource}. The tone repeats every second, so
 * one second is encoded (media's encoder, on Concentus) when the reader is made, and its 50 packets are sent
 * over and over: sending costs no encoding, and a loaded machine cannot fall behind.
 */
final class EncodedTone implements FrameReader {

    private static final int RATE = OpusEncoder.SAMPLE_RATE;
    private static final int SAMPLES = RATE / 50;

    private final List<byte[]> second = new ArrayList<>();
    private long index;

    EncodedTone() {
        SyntheticAudio tone = new SyntheticAudio(RATE, 1, 440);
        OpusEncoder encoder = new OpusEncoder(OpusSettings.voiceDefaults().withDtx(false));
        for (long sample = 0; second.size() < 50; sample += SAMPLES) {
            for (EncodedFrame f : encoder.encode(tone.frame(sample, SAMPLES))) {
                second.add(f.data());
            }
        }
    }

    @Override
    public MediaKind kind() {
        return MediaKind.AUDIO;
    }

    @Override
    public MediaFrame read() {
        long i = index++;
        EncodedFrame f = new EncodedFrame(org.rtc4j.rtp.Codec.OPUS, second.get((int) (i % second.size())),
                i * SAMPLES & 0xFFFF_FFFFL, true);
        return new TimedEncodedFrame(f, i * 20_000, 20_000);
    }

    @Override
    public void close() {
        // nothing held
    }
}
