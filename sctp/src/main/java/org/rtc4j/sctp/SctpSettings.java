package org.rtc4j.sctp;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Everything an association can be tuned with. Start from {@link #defaults()} and change with the
 * {@code with...} methods.
 *
 * @param localPort             SCTP port of this end (5000 in WebRTC, RFC 8841)
 * @param remotePort            SCTP port of the peer
 * @param mtu                   BASE_PLPMTU (RFC 8899 5.1.4): the packet size this end starts with and falls
 *                              back to, known to pass (RFC 8261 recommends 1200 over DTLS)
 * @param maxMtu                MAX_PLPMTU: the largest packet path MTU discovery (RFC 8899) may probe for and
 *                              use; equal to {@code mtu} (the default) turns probing off
 * @param outboundStreams       streams this end asks to send on (OS of INIT)
 * @param inboundStreams        streams this end accepts (MIS of INIT)
 * @param receiveWindow         bytes this end buffers for the peer (advertised a_rwnd)
 * @param sendBuffer            bytes queued or unacknowledged before {@code send} refuses more
 * @param rtoInitialMillis      RTO.Initial (RFC 9260 16)
 * @param rtoMinMillis          RTO.Min
 * @param rtoMaxMillis          RTO.Max
 * @param delayedAckMillis      longest a SACK is delayed (RFC 9260 6.2: at most 500, 200 recommended)
 * @param maxInitRetransmits    Max.Init.Retransmits
 * @param maxRetransmits        Association.Max.Retrans: consecutive timeouts before the peer is declared gone
 * @param cookieLifetimeMillis  Valid.Cookie.Life
 * @param zeroChecksum          advertise and use RFC 9653 zero checksums (only where the lower layer, DTLS,
 *                              already protects integrity)
 * @param interleaving          offer I-DATA (RFC 8260); used only if the peer offers it too
 * @param maxMessageSize        largest message accepted from the peer (0: no limit, up to the window)
 * @param random                source of tags, initial TSNs and the cookie key
 * @param heartbeatIntervalMillis HB.interval (RFC 9260 8.3, 16: 30 s): an idle association sends a HEARTBEAT
 *                              every RTO plus this, and one unanswered within an RTO counts toward
 *                              {@code maxRetransmits}; 0 sends none
 */
public record SctpSettings(int localPort, int remotePort, int mtu, int maxMtu, int outboundStreams, int inboundStreams,
                           int receiveWindow, long sendBuffer, long rtoInitialMillis, long rtoMinMillis,
                           long rtoMaxMillis, long delayedAckMillis, int maxInitRetransmits, int maxRetransmits,
                           long cookieLifetimeMillis, boolean zeroChecksum, boolean interleaving,
                           int maxMessageSize, RandomGenerator random,
                           long heartbeatIntervalMillis) {

    public SctpSettings {
        if (mtu < 256 || mtu > 65535) {
            throw new IllegalArgumentException("mtu out of range 256..65535: " + mtu);
        }
        if (maxMtu < mtu || maxMtu > 65535) {
            throw new IllegalArgumentException("maxMtu out of range " + mtu + "..65535: " + maxMtu);
        }
        if (outboundStreams < 1 || outboundStreams > 65535 || inboundStreams < 1 || inboundStreams > 65535) {
            throw new IllegalArgumentException("streams out of range 1..65535");
        }
        if (receiveWindow < 1500) {
            throw new IllegalArgumentException("receive window below 1500 bytes: " + receiveWindow);
        }
        if (heartbeatIntervalMillis < 0) {
            throw new IllegalArgumentException("negative heartbeat interval");
        }
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("negative max message size");
        }
    }

    public static SctpSettings defaults() {
        return new SctpSettings(5000, 5000, 1200, 1200, 65535, 65535, 4 << 20, 16L << 20, 1000, 200, 60_000, 200, 8,
                10, 60_000, false, true, 262_144, new SecureRandom(), 30_000);
    }

    public SctpSettings withPorts(int local, int remote) {
        return new SctpSettings(local, remote, mtu, maxMtu, outboundStreams, inboundStreams, receiveWindow, sendBuffer,
                rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits, maxRetransmits,
                cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, random, heartbeatIntervalMillis);
    }

    /** BASE_PLPMTU; with probing off it stays off, else MAX_PLPMTU is raised to it if below. */
    public SctpSettings withMtu(int value) {
        int max = maxMtu == mtu ? value : Math.max(maxMtu, value);
        return new SctpSettings(localPort, remotePort, value, max, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits,
                maxRetransmits, cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, random, heartbeatIntervalMillis);
    }

    /**
     * MAX_PLPMTU (RFC 8899): above {@code mtu}, the association probes the path for larger packets once it is
     * established. The value is the largest SCTP packet, net of what DTLS, UDP, IP (and TURN) add below.
     */
    public SctpSettings withMaxMtu(int value) {
        return new SctpSettings(localPort, remotePort, mtu, value, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits,
                maxRetransmits, cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, random, heartbeatIntervalMillis);
    }

    public SctpSettings withStreams(int outbound, int inbound) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outbound, inbound, receiveWindow, sendBuffer,
                rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits, maxRetransmits,
                cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, random, heartbeatIntervalMillis);
    }

    /** The receive window and the send buffer, in bytes. */
    public SctpSettings withBuffers(int window, long send) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outboundStreams, inboundStreams, window, send,
                rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits, maxRetransmits,
                cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, random, heartbeatIntervalMillis);
    }

    public SctpSettings withRto(long initial, long min, long max) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, initial, min, max, delayedAckMillis, maxInitRetransmits, maxRetransmits,
                cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, random, heartbeatIntervalMillis);
    }

    public SctpSettings withZeroChecksum(boolean value) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits,
                maxRetransmits, cookieLifetimeMillis, value, interleaving, maxMessageSize, random, heartbeatIntervalMillis);
    }

    public SctpSettings withInterleaving(boolean value) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits,
                maxRetransmits, cookieLifetimeMillis, zeroChecksum, value, maxMessageSize, random, heartbeatIntervalMillis);
    }

    public SctpSettings withMaxMessageSize(int value) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits,
                maxRetransmits, cookieLifetimeMillis, zeroChecksum, interleaving, value, random,
                heartbeatIntervalMillis);
    }

    public SctpSettings withRandom(RandomGenerator value) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits,
                maxRetransmits, cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, value, heartbeatIntervalMillis);
    }

    /** HB.interval in milliseconds; 0 sends no heartbeats (path MTU probes still go). */
    public SctpSettings withHeartbeatInterval(long millis) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits,
                maxRetransmits, cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, random, millis);
    }

    /** Association.Max.Retrans: consecutive timeouts (of data or heartbeats) before the peer is declared gone. */
    public SctpSettings withMaxRetransmits(int value) {
        return new SctpSettings(localPort, remotePort, mtu, maxMtu, outboundStreams, inboundStreams, receiveWindow,
                sendBuffer, rtoInitialMillis, rtoMinMillis, rtoMaxMillis, delayedAckMillis, maxInitRetransmits,
                value, cookieLifetimeMillis, zeroChecksum, interleaving, maxMessageSize, random,
                heartbeatIntervalMillis);
    }
}
