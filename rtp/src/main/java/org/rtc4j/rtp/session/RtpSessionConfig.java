package org.rtc4j.rtp.session;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link RtpSession}.
 *
 * @param rtcpSsrc          the SSRC the session's reports come from when it sends no media
 * @param cname             the RTCP CNAME (RFC 7022: random per session)
 * @param extensions        negotiated header extension identifiers
 * @param maxPacketSize     largest RTP packet before SRTP, header included
 * @param history           how long sent packets are kept for retransmission
 * @param nackGiveUp        how long a missing packet is asked for before the jitter buffer moves on
 * @param sessionBandwidth  bits per second, for the RTCP interval (RFC 3550 section 6.2)
 * @param reducedSizeRtcp   whether feedback may go alone (RFC 5506, {@code a=rtcp-rsize})
 * @param seed              seeds the random initial sequence numbers, timestamps and RTCP interval jitter
 */
public record RtpSessionConfig(int rtcpSsrc, String cname, ExtensionIds extensions, int maxPacketSize,
                               Duration history, Duration nackGiveUp, long sessionBandwidth, boolean reducedSizeRtcp,
                               long seed) {

    public RtpSessionConfig {
        Objects.requireNonNull(cname, "cname");
        Objects.requireNonNull(extensions, "extensions");
        if (maxPacketSize < 100 || maxPacketSize > 16_000) {
            throw new IllegalArgumentException("max packet size " + maxPacketSize);
        }
        if (history.isNegative() || history.toSeconds() > 60 || nackGiveUp.isNegative() || sessionBandwidth < 0) {
            throw new IllegalArgumentException("history, give-up time or bandwidth out of range");
        }
    }

    /** 1,200-byte packets, 1 s of history, 1 s NACK give-up, 2 Mbit/s, reduced-size RTCP. */
    public static RtpSessionConfig defaults(int rtcpSsrc, String cname) {
        return new RtpSessionConfig(rtcpSsrc, cname, ExtensionIds.NONE, 1200, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 2_000_000, true, rtcpSsrc);
    }

    public RtpSessionConfig withExtensions(ExtensionIds ids) {
        return new RtpSessionConfig(rtcpSsrc, cname, ids, maxPacketSize, history, nackGiveUp, sessionBandwidth,
                reducedSizeRtcp, seed);
    }

    public RtpSessionConfig withSeed(long s) {
        return new RtpSessionConfig(rtcpSsrc, cname, extensions, maxPacketSize, history, nackGiveUp, sessionBandwidth,
                reducedSizeRtcp, s);
    }
}
