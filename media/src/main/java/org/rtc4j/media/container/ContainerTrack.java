package org.rtc4j.media.container;

import java.util.Objects;
import org.rtc4j.rtp.Codec;

/**
 * One track of a container file: what its frames are and the few facts a decoder or a writer needs.
 *
 * @param codec      the frames' codec; timestamps of the track's frames are in {@code codec.clockRate()}
 * @param width      video width in pixels, 0 for audio or unknown
 * @param height     video height in pixels, 0 for audio or unknown
 * @param sampleRate audio sample rate of the decoded signal (Opus: the input rate of the OpusHead), 0 for video
 * @param channels   audio channel count, 0 for video
 * @param preSkip    Opus samples at 48 kHz to drop at the start of decoding (RFC 7845 5.1), 0 otherwise
 */
public record ContainerTrack(Codec codec, int width, int height, int sampleRate, int channels, int preSkip) {

    public ContainerTrack {
        Objects.requireNonNull(codec, "codec");
        if (width < 0 || height < 0 || sampleRate < 0 || channels < 0 || preSkip < 0) {
            throw new IllegalArgumentException("negative track parameter");
        }
    }

    /** A video track. */
    public static ContainerTrack video(Codec codec, int width, int height) {
        if (!codec.isVideo()) {
            throw new IllegalArgumentException(codec + " is not a video codec");
        }
        return new ContainerTrack(codec, width, height, 0, 0, 0);
    }

    /** An Opus track (48 kHz on the wire whatever the input rate) with libopus's usual pre-skip of 312. */
    public static ContainerTrack opus(int channels) {
        return new ContainerTrack(Codec.OPUS, 0, 0, 48_000, channels, 312);
    }
}
