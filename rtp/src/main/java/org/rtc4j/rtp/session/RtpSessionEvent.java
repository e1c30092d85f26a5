package org.rtc4j.rtp.session;

import org.rtc4j.rtp.EncodedFrame;
import org.rtc4j.rtp.payload.TelephoneEvent;
import org.rtc4j.rtp.rtcp.RtcpPacket;

/** What an {@link RtpSession} reports to its owner. */
public sealed interface RtpSessionEvent {

    /**
     * A whole frame, in order, from the jitter buffer of a receive stream; {@code sources} is what its packets
     * said of its CSRCs and audio levels, null when they said nothing.
     */
    record FrameReceived(String mid, String rid, int ssrc, EncodedFrame frame, FrameSources sources)
            implements RtpSessionEvent {

        /** A frame whose packets named no CSRC and no audio level. */
        public FrameReceived(String mid, String rid, int ssrc, EncodedFrame frame) {
            this(mid, rid, ssrc, frame, null);
        }
    }

    /**
     * A telephone-event report (RFC 4733) that came on a received stream's SSRC with one of the payload types
     * given to {@link RtpSession#receiveTelephoneEvents}; its RTP timestamp is the event's start (section 2.3).
     */
    record TelephoneEventReceived(String mid, int ssrc, int payloadType, long timestamp,
                                  TelephoneEvent report) implements RtpSessionEvent {
    }

    /** The peer asked for a key frame on one of our streams (PLI, RFC 4585 6.3.1; FIR, RFC 5104 4.3.1). */
    record KeyFrameRequested(int ssrc, boolean fullIntraRequest) implements RtpSessionEvent {
    }

    /** A new SSRC was bound to a receive stream (by configuration, MID, RID or payload type). */
    record StreamBound(String mid, String rid, int ssrc) implements RtpSessionEvent {
    }

    /** The peer said goodbye for an SSRC (RFC 3550 6.6). */
    record SourceLeft(int ssrc) implements RtpSessionEvent {
    }

    /** Congestion feedback for a controller (REMB, transport-wide CC, RFC 8888), passed on as received. */
    record CongestionFeedback(RtcpPacket packet) implements RtpSessionEvent {
    }
}
