package org.rtc4j.rtp.session;

import java.util.Arrays;

/**
 * Where a received frame came from, beyond its SSRC, as its packets said: the CSRC list (RFC 3550 section 5.1,
 * the contributors a mixer combined) and the audio levels, in -dBov 0..127, of the SSRC (RFC 6464) and of each
 * CSRC (RFC 6465), -1 where the packet had none. What W3C WebRTC's contributing and synchronization sources
 * report (section 5.4).
 *
 * @param csrcs      the CSRCs, at most 15
 * @param csrcLevels the level of each CSRC, in the same order, -1 for one without
 */
public record FrameSources(int[] csrcs, int ssrcLevel, int[] csrcLevels) {

    public FrameSources {
        if (csrcs.length > 15 || csrcLevels.length != csrcs.length || ssrcLevel < -1 || ssrcLevel > 127) {
            throw new IllegalArgumentException("CSRCs " + csrcs.length + ", levels " + csrcLevels.length
                    + ", level " + ssrcLevel);
        }
        csrcs = csrcs.clone();
        csrcLevels = csrcLevels.clone();
    }

    @Override
    public int[] csrcs() {
        return csrcs.clone();
    }

    @Override
    public int[] csrcLevels() {
        return csrcLevels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameSources f && ssrcLevel == f.ssrcLevel && Arrays.equals(csrcs, f.csrcs)
                && Arrays.equals(csrcLevels, f.csrcLevels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(csrcs) + Arrays.hashCode(csrcLevels)) + ssrcLevel;
    }

    @Override
    public String toString() {
        return "FrameSources[csrcs=" + Arrays.toString(csrcs) + ", ssrcLevel=" + ssrcLevel + ", csrcLevels="
                + Arrays.toString(csrcLevels) + "]";
    }
}
