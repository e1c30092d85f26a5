package org.rtc4j.rtp.session;

/**
 * The local identifiers (RFC 8285 {@code a=extmap}) negotiated for the header extensions the session reads and
 * writes; 0 for one that was not negotiated.
 *
 * @param transportSequence         the transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-
 *                                  extensions-01 section 2) written on our packets, for a peer's transport-wide
 *                                  feedback
 * @param audioLevel                the client-to-mixer audio level (RFC 6464): written on our audio packets when a
 *                                  level is given, read on received ones
 * @param csrcAudioLevel            the mixer-to-client audio levels (RFC 6465), read on received packets
 * @param receivedTransportSequence the transport-wide sequence number read on every received packet, which the
 *                                  session acknowledges in transport-wide feedback (section 3.1) for the peer's
 *                                  congestion controller; it may be negotiated while ours stay unnumbered
 *                                  ({@code transportSequence} 0), so that the peer's feedback to us stays REMB
 */
public record ExtensionIds(int mid, int rid, int repairedRid, int absSendTime, int transportSequence, int audioLevel,
                           int csrcAudioLevel, int receivedTransportSequence) {

    public static final ExtensionIds NONE = new ExtensionIds(0, 0, 0, 0, 0);

    public ExtensionIds {
        for (int id : new int[] {mid, rid, repairedRid, absSendTime, transportSequence, audioLevel, csrcAudioLevel,
                receivedTransportSequence}) {
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("extension id " + id);
            }
        }
    }

    /** Without the audio level extensions, and no feedback on received transport-wide numbers. */
    public ExtensionIds(int mid, int rid, int repairedRid, int absSendTime, int transportSequence) {
        this(mid, rid, repairedRid, absSendTime, transportSequence, 0, 0, 0);
    }

    /** A copy with the audio level extensions' ids (RFC 6464, RFC 6465), 0 for none. */
    public ExtensionIds withAudioLevels(int ssrcLevel, int csrcLevels) {
        return new ExtensionIds(mid, rid, repairedRid, absSendTime, transportSequence, ssrcLevel, csrcLevels,
                receivedTransportSequence);
    }

    /** A copy that reads received packets' transport-wide sequence numbers under {@code id} (0: none) for feedback. */
    public ExtensionIds withReceivedTransportSequence(int id) {
        return new ExtensionIds(mid, rid, repairedRid, absSendTime, transportSequence, audioLevel, csrcAudioLevel, id);
    }
}
