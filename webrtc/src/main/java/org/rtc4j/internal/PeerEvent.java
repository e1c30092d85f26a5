package org.rtc4j.internal;

import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.ice.IceEvent;
import org.rtc4j.rtp.session.RtpSessionEvent;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.sctp.datachannel.DataChannelEvent;
import org.rtc4j.sctp.datachannel.DataChannels;

/**
 * What a {@link PeerStack} reports through {@code pollEvent()}: what its layers reported, in the order they did,
 * for the W3C facade to map to its states and events. Application data reaches the owner only as
 * {@link DataChannelEvent.Message} and media only as {@link RtpSessionEvent.FrameReceived}: the datagrams below
 * them never leave the stack.
 */
public sealed interface PeerEvent {

    /** From ICE: a local candidate, a gathering, connection or role change, a new selected pair, a server error. */
    record Ice(IceEvent event) implements PeerEvent {
    }

    /** The DTLS handshake started (the client once ICE has a pair to send on, the server with the first record). */
    record DtlsStarted() implements PeerEvent {
    }

    /** From DTLS: connected (the peer's certificate matched), closed, or failed. */
    record Dtls(DtlsEvent event) implements PeerEvent {
    }

    /** SCTP started over the connected DTLS transport: channels can be created on {@code channels} now. */
    record SctpStarted(DataChannels channels) implements PeerEvent {
    }

    /** The SCTP association changed state. */
    record SctpStateChanged(SctpState state) implements PeerEvent {
    }

    /** From the data channels: opened (ours or the peer's), a message, buffered amount low, closing, closed. */
    record Channel(DataChannelEvent event) implements PeerEvent {
    }

    /** SRTP is keyed (DTLS connected with a use_srtp profile): the media streams flow from now on. */
    record MediaStarted() implements PeerEvent {
    }

    /** From the RTP session: a whole received frame, a key frame request, a stream bound, a source that left. */
    record Media(RtpSessionEvent event) implements PeerEvent {
    }
}
