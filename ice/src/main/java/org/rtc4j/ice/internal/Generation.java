package org.rtc4j.ice.internal;

import org.rtc4j.ice.IceCredentials;

/**
 * The credentials of one ICE session: between restarts (RFC 8445 section 9) the local and remote ufrag and
 * password stay the same. The previous generation lives on while its selected pair carries data.
 */
final class Generation {
    final int number;
    final IceCredentials local;
    final org.rtc4j.ice.stun.StunKey localKey;
    IceCredentials remote;
    org.rtc4j.ice.stun.StunKey remoteKey;
    boolean remoteEndOfCandidates;

    Generation(int number, IceCredentials local) {
        this.number = number;
        this.local = local;
        this.localKey = org.rtc4j.ice.stun.StunKey.shortTerm(local.password());
    }

    void remote(IceCredentials credentials) {
        this.remote = credentials;
        this.remoteKey = org.rtc4j.ice.stun.StunKey.shortTerm(credentials.password());
    }
}
