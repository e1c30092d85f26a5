package org.rtc4j;

import java.util.List;
import java.util.function.Consumer;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;

/** The DTLS transport of the connection (W3C section 5.5), over its {@link RTCIceTransport}. */
public final class RTCDtlsTransport {

    private final RTCIceTransport iceTransport;
    volatile RTCDtlsTransportState state = RTCDtlsTransportState.NEW;
    volatile List<byte[]> remoteCertificates = List.of();
    final EventSlot<RTCDtlsTransportState> onStateChange;
    final EventSlot<DOMException> onError;

    RTCDtlsTransport(RTCIceTransport iceTransport, IoLoop loop) {
        this.iceTransport = iceTransport;
        onStateChange = new EventSlot<>("dtls statechange", loop);
        onError = new EventSlot<>("dtls error", loop);
    }

    public RTCIceTransport iceTransport() {
        return iceTransport;
    }

    public RTCDtlsTransportState state() {
        return state;
    }

    /** The peer's certificate chain (DER), once connected. */
    public List<byte[]> getRemoteCertificates() {
        return remoteCertificates.stream().map(byte[]::clone).toList();
    }

    public void onStateChange(Consumer<RTCDtlsTransportState> handler) {
        onStateChange.set(handler);
    }

    /** A DTLS failure (a fingerprint that does not match, a fatal alert), with the reason. */
    public void onError(Consumer<DOMException> handler) {
        onError.set(handler);
    }
}
