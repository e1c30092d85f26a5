package org.rtc4j.media.codec;

/**
 * How {@link OpusEncoder} encodes (RFC 6716 and the libopus encoder controls it mirrors, which Concentus keeps).
 *
 * @param channels          1 (mono) or 2 (stereo); input of other counts is mixed to this
 * @param bitrate           target bits per second, 6 000 to 510 000 (RFC 7587 section 3.1.1 suggests 6-40 kbit/s
 *                          for speech, 64-128 kbit/s for stereo music)
 * @param frameMillis       10, 20, 40 or 60 ms of audio per packet (20 is WebRTC's default; {@code a=ptime})
 * @param complexity        0 (fastest) to 10 (best)
 * @param inbandFec         put a low-rate copy of the previous frame into each packet (SILK's LBRR) so that a
 *                          receiver can rebuild a lost one from the next ({@code useinbandfec=1}, RFC 7587 6.1)
 * @param packetLossPercent the loss the encoder expects, 0 to 100; in-band FEC is only spent when above 0
 * @param dtx               discontinuous transmission: in silence, send nothing but a comfort-noise update about
 *                          every 400 ms ({@code usedtx=1}, RFC 7587 section 3.1.3)
 * @param voice             tune for speech (libopus's VOIP application) rather than general audio
 * @param constantBitrate   every packet of the same size ({@code cbr=1}, RFC 7587 section 6.1; RFC 6562 warns
 *                          that variable sizes can reveal speech); otherwise constrained VBR, libopus's default
 */
public record OpusSettings(int channels, int bitrate, int frameMillis, int complexity, boolean inbandFec,
                           int packetLossPercent, boolean dtx, boolean voice,
                           boolean constantBitrate) {

    public OpusSettings {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("Opus encodes 1 or 2 channels, not " + channels);
        }
        if (bitrate < 6_000 || bitrate > 510_000) {
            throw new IllegalArgumentException("bit rate out of 6000..510000: " + bitrate);
        }
        if (frameMillis != 10 && frameMillis != 20 && frameMillis != 40 && frameMillis != 60) {
            throw new IllegalArgumentException("frame of 10, 20, 40 or 60 ms, not " + frameMillis);
        }
        if (complexity < 0 || complexity > 10) {
            throw new IllegalArgumentException("complexity out of 0..10: " + complexity);
        }
        if (packetLossPercent < 0 || packetLossPercent > 100) {
            throw new IllegalArgumentException("loss out of 0..100 %: " + packetLossPercent);
        }
    }

    /** WebRTC's usual voice settings: mono, 32 kbit/s, 20 ms, complexity 10, FEC on for 10 % loss, no DTX. */
    public static OpusSettings voiceDefaults() {
        return new OpusSettings(1, 32_000, 20, 10, true, 10, false, true, false);
    }

    /** Music: stereo, 64 kbit/s, 20 ms, complexity 10, no FEC, no DTX. */
    public static OpusSettings musicDefaults() {
        return new OpusSettings(2, 64_000, 20, 10, false, 0, false, false, false);
    }

    public OpusSettings withChannels(int n) {
        return new OpusSettings(n, bitrate, frameMillis, complexity, inbandFec, packetLossPercent, dtx, voice, constantBitrate);
    }

    public OpusSettings withBitrate(int bps) {
        return new OpusSettings(channels, bps, frameMillis, complexity, inbandFec, packetLossPercent, dtx, voice, constantBitrate);
    }

    public OpusSettings withFrameMillis(int ms) {
        return new OpusSettings(channels, bitrate, ms, complexity, inbandFec, packetLossPercent, dtx, voice, constantBitrate);
    }

    public OpusSettings withComplexity(int c) {
        return new OpusSettings(channels, bitrate, frameMillis, c, inbandFec, packetLossPercent, dtx, voice, constantBitrate);
    }

    /** In-band FEC on, tuned for {@code lossPercent} loss (0 turns it off). */
    public OpusSettings withInbandFec(int lossPercent) {
        return new OpusSettings(channels, bitrate, frameMillis, complexity, lossPercent > 0, lossPercent, dtx, voice, constantBitrate);
    }

    public OpusSettings withDtx(boolean on) {
        return new OpusSettings(channels, bitrate, frameMillis, complexity, inbandFec, packetLossPercent, on, voice, constantBitrate);
    }

    /** Constant bit rate ({@code cbr=1}) when {@code on}, else constrained VBR. */
    public OpusSettings withConstantBitrate(boolean on) {
        return new OpusSettings(channels, bitrate, frameMillis, complexity, inbandFec, packetLossPercent, dtx, voice, on);
    }
}
