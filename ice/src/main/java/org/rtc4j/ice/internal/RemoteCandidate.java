package org.rtc4j.ice.internal;

import org.rtc4j.core.TransportAddress;
import org.rtc4j.ice.IceCandidate;

/** A remote candidate: signaled, or peer-reflexive (learned from an authenticated check). */
final class RemoteCandidate {
    IceCandidate candidate;
    final TransportAddress address;

    RemoteCandidate(IceCandidate candidate) {
        this.candidate = candidate;
        this.address = candidate.transportAddress();
    }

    @Override
    public String toString() {
        return candidate.type().token() + " " + (address == null ? candidate.address() : address);
    }
}
