package org.rtc4j.rtp.session;

/**
 * The local identifiers (RFC 8285 {@code a=extmap}) negotiated for the header extensions the session reads and
 * writes; 0 for one that was not negotiated.
 */
public record ExtensionIds(int mid, int rid, int repairedRid, int absSendTime, int transportSequence) {

    public static final ExtensionIds NONE = new ExtensionIds(0, 0, 0, 0, 0);

    public ExtensionIds {
        for (int id : new int[] {mid, rid, repairedRid, absSendTime, transportSequence}) {
            if (id < 0 || id > 255) {
                throw new IllegalArgumentException("extension id " + id);
            }
        }
    }
}
