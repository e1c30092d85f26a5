package org.rtc4j.rtp.session;

/**
 * The local identifiers (RFC 8285 {@code a=extmap}) negotiated for the header extensions the session reads and
 * writes; 0 for one that was not negotiated.
 *
 * @param audioLevel     the client-to-mixer audio level (RFC 6464): written on our audio packets when a level is
 *                       given, read on received ones
 * @param csrcAudioLevel the mixer-to-client audio levels (RFC 6465), read on received packets
 */
public record ExtensionIds(int mid, int rid, int repairedRid, int absSendTime, int transportSequence, int audioLevel,
                           int csrcAudioLevel) {

    public static final ExtensionIds NONE = new ExtensionIds(0, 0, 0, 0, 0);

    public ExtensionIds {
        for (int id : new int[] {mid, rid, repairedRid, absSendTime, transportSequence, audioLevel, csrcAudioLevel}) {
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("extension id " + id);
            }
        }
    }

    /** Without the audio level extensions. */
    public ExtensionIds(int mid, int rid, int repairedRid, int absSendTime, int transportSequence) {
        this(mid, rid, repairedRid, absSendTime, transportSequence, 0, 0);
    }

    /** A copy with the audio level extensions' ids (RFC 6464, RFC 6465), 0 for none. */
    public ExtensionIds withAudioLevels(int ssrcLevel, int csrcLevels) {
        return new ExtensionIds(mid, rid, repairedRid, absSendTime, transportSequence, ssrcLevel, csrcLevels);
    }
}
