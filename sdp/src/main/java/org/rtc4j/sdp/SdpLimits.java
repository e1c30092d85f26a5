package org.rtc4j.sdp;

/**
 * Bounds on what the parser accepts, so that a hostile description cannot make it allocate without limit.
 * The defaults leave room for a session with well over a hundred audio and video sections (a Chromium offer
 * with one audio, one video and one data section is about 6 KB and 150 lines).
 *
 * @param maxChars the longest description accepted, in characters (UTF-16 units; bytes for byte input)
 * @param maxLines the most lines accepted
 */
public record SdpLimits(int maxChars, int maxLines) {

    /** One MiB and 16,384 lines. */
    public static final SdpLimits DEFAULT = new SdpLimits(1 << 20, 16_384);

    public SdpLimits {
        if (maxChars < 1 || maxLines < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxChars + " chars, " + maxLines + " lines");
        }
    }
}
