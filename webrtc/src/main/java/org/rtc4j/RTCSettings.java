package org.rtc4j;

import java.net.NetworkInterface;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What the standard leaves to the implementation, in one place (as Pion's SettingEngine): sockets, interfaces,
 * timeouts and buffer sizes. Immutable: start from {@link #defaults()} and change with the {@code with...}
 * methods; pass it to {@link RTCPeerConnection#RTCPeerConnection(RTCConfiguration, RTCSettings)}.
 *
 * @param portMin lowest UDP port to bind (0 with {@code portMax} 0: any port the system picks)
 * @param portMax highest UDP port to bind
 * @param interfaceFilter which network interfaces to gather host candidates on
 * @param includeLoopback gather on loopback interfaces too (browsers do not; in a loopback-only network, as in
 *        tests, loopback is used anyway when no other interface is up)
 * @param ipv6 gather on IPv6 addresses too (link-local ones never)
 * @param iceDisconnectedTimeout without consent for this long ICE is disconnected (RFC 7675)
 * @param iceFailedTimeout without consent for this long ICE has failed
 * @param iceConsentInterval how often consent is refreshed on the selected pair
 * @param iceNominationDelay how long the controlling side waits, after the first working pair, for a better
 *        one before it nominates; {@code null}: none without ICE servers (host pairs only, checked best first),
 *        200 ms with them
 * @param dtlsHandshakeTimeout how long the DTLS handshake may take
 * @param dtlsInitialResendTimeout the first DTLS handshake retransmission timer (doubling on each resend)
 * @param sctpReceiveWindow bytes buffered for the peer (SCTP a_rwnd)
 * @param sctpSendBuffer bytes a connection's data channels may have queued or unacknowledged; a
 *        {@code send} beyond it is the specification's OperationError
 * @param maxMessageSize the {@code a=max-message-size} this end advertises and accepts
 * @param socketReceiveBuffer SO_RCVBUF asked for each UDP socket (the system may cap it; 0: system default)
 * @param socketSendBuffer SO_SNDBUF asked for each UDP socket (0: system default)
 * @param ioThreads shared NIO threads that run every connection of the JVM (each connection on one of them)
 * @param sctpMaxPacketSize the largest SCTP packet that path MTU discovery may reach (RFC 8899): packets start at
 *        1,200 bytes (RFC 8261) and grow to what the path carries, up to this and to the MTU of the local
 *        interface; 1,200 turns discovery off
 * @param turnTrustedCertificate the one certificate trusted for {@code turns:} servers (for tests and private
 *        servers); {@code null}: the JDK's trust store. The server's name is checked either way.
 */
public record RTCSettings(int portMin, int portMax, Predicate<NetworkInterface> interfaceFilter,
                          boolean includeLoopback, boolean ipv6, Duration iceDisconnectedTimeout,
                          Duration iceFailedTimeout, Duration iceConsentInterval, Duration iceNominationDelay,
                          Duration dtlsHandshakeTimeout,
                          Duration dtlsInitialResendTimeout, int sctpReceiveWindow, long sctpSendBuffer,
                          long maxMessageSize, int socketReceiveBuffer, int socketSendBuffer, int ioThreads,
                          int sctpMaxPacketSize, X509Certificate turnTrustedCertificate) {

    public RTCSettings {
        Objects.requireNonNull(interfaceFilter, "interfaceFilter");
        if (portMin < 0 || portMax > 65535 || portMin > portMax) {
            throw new TypeError("port range must be 0 <= min <= max <= 65535: " + portMin + ".." + portMax);
        }
        for (Duration d : new Duration[] {iceDisconnectedTimeout, iceFailedTimeout, iceConsentInterval,
                dtlsHandshakeTimeout, dtlsInitialResendTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new TypeError("timeouts must be positive");
            }
        }
        if (sctpReceiveWindow < 1500 || sctpSendBuffer < 65536 || maxMessageSize < 0) {
            throw new TypeError("SCTP receive window >= 1500, send buffer >= 65536, max message size >= 0");
        }
        if (ioThreads < 1) {
            throw new TypeError("ioThreads must be at least 1");
        }
        if (sctpMaxPacketSize < BASE_PACKET || sctpMaxPacketSize > MAX_RECORD) {
            throw new TypeError("sctpMaxPacketSize must be " + BASE_PACKET + ".." + MAX_RECORD + " (one DTLS record): "
                    + sctpMaxPacketSize);
        }
    }

    /** The SCTP packet size every WebRTC path carries (RFC 8261 section 5). */
    static final int BASE_PACKET = org.rtc4j.internal.PeerStack.BASE_PACKET;
    /** An SCTP packet travels in one DTLS record, of at most 2^14 bytes of plaintext (RFC 6347 section 4.1). */
    static final int MAX_RECORD = 1 << 14;

    /**
     * Any port; every interface that is up (loopback only when nothing else is); IPv4; ICE disconnected after
     * 5 s and failed after 30 s without consent; DTLS handshake 30 s with a first resend after 100 ms; SCTP
     * window 4 MiB and send buffer 16 MiB; max-message-size 262,144 (Chromium's); 4 MiB socket buffers; as
     * many I/O threads as cores, at most 4; SCTP packets up to 16,384 bytes where the path carries them.
     */
    public static RTCSettings defaults() {
        return new RTCSettings(0, 0, nif -> true, false, false, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(2), null, Duration.ofSeconds(30), Duration.ofMillis(100), 4 << 20, 16L << 20, 262_144,
                4 << 20, 4 << 20, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                MAX_RECORD, null);
    }

    public RTCSettings withPortRange(int min, int max) {
        return new RTCSettings(min, max, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, sctpReceiveWindow,
                sctpSendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    public RTCSettings withInterfaceFilter(Predicate<NetworkInterface> filter) {
        return new RTCSettings(portMin, portMax, filter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, sctpReceiveWindow,
                sctpSendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    public RTCSettings withLoopbackCandidates(boolean include) {
        return new RTCSettings(portMin, portMax, interfaceFilter, include, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, sctpReceiveWindow,
                sctpSendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    public RTCSettings withIpv6(boolean value) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, value, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, sctpReceiveWindow,
                sctpSendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    public RTCSettings withIceTimeouts(Duration disconnected, Duration failed, Duration consentInterval) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, disconnected, failed,
                consentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, sctpReceiveWindow, sctpSendBuffer,
                maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    /** The nomination delay of the controlling side ({@code null}: automatic, see the record's description). */
    public RTCSettings withIceNominationDelay(Duration value) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, value, dtlsHandshakeTimeout, dtlsInitialResendTimeout,
                sctpReceiveWindow, sctpSendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    public RTCSettings withDtlsTimers(Duration handshakeTimeout, Duration initialResendTimeout) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, handshakeTimeout, initialResendTimeout, sctpReceiveWindow,
                sctpSendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    public RTCSettings withSctpBuffers(int receiveWindow, long sendBuffer) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, receiveWindow,
                sendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    public RTCSettings withMaxMessageSize(long value) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, sctpReceiveWindow,
                sctpSendBuffer, value, socketReceiveBuffer, socketSendBuffer, ioThreads, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    public RTCSettings withSocketBuffers(int receive, int send) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, sctpReceiveWindow,
                sctpSendBuffer, maxMessageSize, receive, send, ioThreads, sctpMaxPacketSize, turnTrustedCertificate);
    }

    /** Takes effect when the first connection of the JVM starts the shared threads. */
    public RTCSettings withIoThreads(int value) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout, sctpReceiveWindow,
                sctpSendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, value, sctpMaxPacketSize,
                turnTrustedCertificate);
    }

    /** See {@code sctpMaxPacketSize} in the record's description. */
    public RTCSettings withSctpMaxPacketSize(int value) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout, dtlsInitialResendTimeout,
                sctpReceiveWindow, sctpSendBuffer, maxMessageSize, socketReceiveBuffer, socketSendBuffer, ioThreads, value,
                turnTrustedCertificate);
    }

    /** Trusts {@code certificate} (alone) for {@code turns:} servers; {@code null}: the JDK's trust store. */
    public RTCSettings withTurnTrustedCertificate(X509Certificate certificate) {
        return new RTCSettings(portMin, portMax, interfaceFilter, includeLoopback, ipv6, iceDisconnectedTimeout,
                iceFailedTimeout, iceConsentInterval, iceNominationDelay, dtlsHandshakeTimeout,
                dtlsInitialResendTimeout, sctpReceiveWindow, sctpSendBuffer, maxMessageSize, socketReceiveBuffer,
                socketSendBuffer, ioThreads, sctpMaxPacketSize, certificate);
    }
}
