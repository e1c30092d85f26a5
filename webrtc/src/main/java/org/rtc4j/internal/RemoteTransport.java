package org.rtc4j.internal;

import java.util.List;
import org.rtc4j.dtls.DtlsFingerprint;

/**
 * What the remote description says about the transport under the data channels (RFC 8841, RFC 8122).
 *
 * @param fingerprints the peer's certificate fingerprints ({@code a=fingerprint})
 * @param sctpPort the peer's SCTP port ({@code a=sctp-port})
 * @param maxMessageSize the peer's {@code a=max-message-size}; 0 when it takes any size
 * @param maxDatagram the peer's {@code a=x-rtc4j-max-datagram}, 0 when it did not say
 */
public record RemoteTransport(List<DtlsFingerprint> fingerprints, int sctpPort, long maxMessageSize, int maxDatagram) {

    public RemoteTransport {
        fingerprints = List.copyOf(fingerprints);
    }
}
