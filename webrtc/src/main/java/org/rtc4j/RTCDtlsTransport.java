package org.rtc4j;

import java.util.List;
import java.util.function.Consumer;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;

/** The DTLS transport of the connection (W3C section 5.5), over its {@link RTCIceTransport}. */
public final class RTCDtlsTransport {

    private final RTCIceTransport iceTransport;
    private volatile RTCDtlsTransportState state = RTCDtlsTransportState.NEW;
    private volatile List<byte[]> remoteCertificates = List.of();
    private final EventSlot<RTCDtlsTransportState> onStateChange;
    private final EventSlot<DOMException> onError;

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

    // ------------------------------------------------------------------------ from the connection (its loop)

    /** Sets the state; true when it changed (and the event fired). */
    boolean setState(RTCDtlsTransportState s) {
        if (state == s) {
            return false;
        }
        state = s;
        onStateChange.fire(s);
        return true;
    }

    /** The handshake is done: the peer's certificate (DER), before the state says connected. */
    void connected(byte[] peerCertificate) {
        remoteCertificates = peerCertificate == null ? List.of() : List.of(peerCertificate);
        setState(RTCDtlsTransportState.CONNECTED);
    }

    /** Why the transport failed (after the state said so). */
    void error(DOMException error) {
        onError.fire(error);
    }

    /** The connection closed: the state is closed without an event, and queued events are dropped. */
    void closed() {
        state = RTCDtlsTransportState.CLOSED;
        onStateChange.clear();
        onError.clear();
    }
}
