package org.rtc4j.ice;

import java.nio.ByteBuffer;

/** What an {@link IceAgent} reports, in order. */
public sealed interface IceEvent {

    /** A local candidate to signal to the peer (trickled as soon as it is known). */
    record LocalCandidate(IceCandidate candidate) implements IceEvent {
    }

    /** The gathering state changed; {@link IceGatheringState#COMPLETE} is the end of local candidates. */
    record GatheringStateChanged(IceGatheringState state) implements IceEvent {
    }

    record ConnectionStateChanged(IceConnectionState state) implements IceEvent {
    }

    /** Data now goes over this pair. */
    record SelectedPairChanged(CandidatePair pair) implements IceEvent {
    }

    /** The role changed after a role conflict (RFC 8445 section 7.3.1.1) or a lite peer. */
    record RoleChanged(IceRole role) implements IceEvent {
    }

    /**
     * A STUN or TURN server could not be used (the W3C {@code icecandidateerror}): {@code errorCode} is the
     * STUN error code, or 701 when the server did not answer or its connection failed.
     */
    record CandidateError(String url, String address, int port, int errorCode, String errorText)
            implements IceEvent {
    }

    /**
     * Application data (not STUN) that arrived on an authenticated pair: a copy made by
     * {@link IceAgent#handleInput} for generic pumps; {@link IceAgent#receive} returns it without a copy.
     */
    record Data(CandidatePair pair, ByteBuffer data) implements IceEvent {
    }
}
