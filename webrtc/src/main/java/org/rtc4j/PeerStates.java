package org.rtc4j;

import java.security.cert.CertificateEncodingException;
import java.util.Locale;
import org.rtc4j.dtls.DtlsEvent;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.ice.IceGatheringState;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The W3C states of a connection that come from its transports (RTCIceGatheringState, RTCIceConnectionState,
 * RTCPeerConnectionState in W3C webrtc): ICE gathering and connection states mapped from the ICE agent's, and
 * the connection state computed from the ICE and DTLS transports' states. Each change sets the transport's own state first, then fires the connection's event.
 * Loop-confined; the states are readable from any thread.
 */
final class PeerStates {

    private static final Logger LOG = LoggerFactory.getLogger(PeerStates.class);

    private final RTCIceTransport ice;
    private final RTCDtlsTransport dtls;
    private volatile RTCIceGatheringState iceGatheringState = RTCIceGatheringState.NEW;
    private volatile RTCIceConnectionState iceConnectionState = RTCIceConnectionState.NEW;
    private volatile RTCPeerConnectionState connectionState = RTCPeerConnectionState.NEW;
    private boolean closed;
    final EventSlot<RTCIceGatheringState> onIceGatheringStateChange;
    final EventSlot<RTCIceConnectionState> onIceConnectionStateChange;
    final EventSlot<RTCPeerConnectionState> onConnectionStateChange;

    PeerStates(RTCIceTransport ice, RTCDtlsTransport dtls, IoLoop loop) {
        this.ice = ice;
        this.dtls = dtls;
        onIceGatheringStateChange = new EventSlot<>("icegatheringstatechange", loop);
        onIceConnectionStateChange = new EventSlot<>("iceconnectionstatechange", loop);
        onConnectionStateChange = new EventSlot<>("connectionstatechange", loop);
    }

    RTCIceGatheringState iceGatheringState() {
        return iceGatheringState;
    }

    RTCIceConnectionState iceConnectionState() {
        return iceConnectionState;
    }

    RTCPeerConnectionState connectionState() {
        return connectionState;
    }

    /** The ICE agent's gathering state; returns the W3C one. */
    RTCIceGatheringState gathering(IceGatheringState state) {
        RTCIceGatheringState s = switch (state) {
            case NEW -> RTCIceGatheringState.NEW;
            case GATHERING -> RTCIceGatheringState.GATHERING;
            case COMPLETE -> RTCIceGatheringState.COMPLETE;
        };
        if (s != iceGatheringState) {
            iceGatheringState = s;
            ice.setGatheringState(RTCIceGathererState.of(s.value()));
            onIceGatheringStateChange.fire(s);
        }
        return s;
    }

    /** The ICE agent's connection state. */
    void iceConnection(IceConnectionState state) {
        RTCIceConnectionState s = RTCIceConnectionState.of(state.name().toLowerCase(Locale.ROOT));
        if (s != iceConnectionState) {
            LOG.debug("ICE {}", s);
            iceConnectionState = s;
            ice.setState(RTCIceTransportState.of(s.value()));
            onIceConnectionStateChange.fire(s);
            update();
        }
    }

    /** What DTLS reported: its state, the peer's certificate and the cipher when connected, why it failed. */
    void onDtls(DtlsEvent e, PeerStats stats) {
        switch (e) {
            case DtlsEvent.Connected c -> {
                stats.dtlsCipher = c.cipherSuite();
                byte[] der;
                try {
                    der = c.peerCertificate().getEncoded();
                } catch (CertificateEncodingException ex) {
                    der = null;
                }
                dtls.connected(der);
                update();
            }
            case DtlsEvent.Closed c -> {
                LOG.debug("DTLS closed by the peer");
                dtls(RTCDtlsTransportState.CLOSED);
            }
            case DtlsEvent.Failed f -> dtlsFailed(new OperationError("DTLS failed: " + f.reason()));
        }
    }

    /** The DTLS transport's state. */
    void dtls(RTCDtlsTransportState s) {
        if (dtls.setState(s)) {
            LOG.debug("DTLS {}", s);
            update();
        }
    }

    /** The DTLS transport failed, with the reason. */
    void dtlsFailed(DOMException error) {
        dtls(RTCDtlsTransportState.FAILED);
        dtls.error(error);
    }

    /** The connection state from the transports' (W3C webrtc, RTCPeerConnectionState enum). */
    private void update() {
        if (closed) {
            return;
        }
        RTCIceTransportState i = ice.state();
        RTCDtlsTransportState d = dtls.state();
        RTCPeerConnectionState s;
        if (i == RTCIceTransportState.FAILED || d == RTCDtlsTransportState.FAILED) {
            s = RTCPeerConnectionState.FAILED;
        } else if (i == RTCIceTransportState.DISCONNECTED) {
            s = RTCPeerConnectionState.DISCONNECTED;
        } else if ((i == RTCIceTransportState.NEW || i == RTCIceTransportState.CLOSED)
                && (d == RTCDtlsTransportState.NEW || d == RTCDtlsTransportState.CLOSED)) {
            s = RTCPeerConnectionState.NEW;
        } else if (i == RTCIceTransportState.NEW || i == RTCIceTransportState.CHECKING
                || d == RTCDtlsTransportState.NEW || d == RTCDtlsTransportState.CONNECTING) {
            s = RTCPeerConnectionState.CONNECTING;
        } else {
            s = RTCPeerConnectionState.CONNECTED;
        }
        if (s != connectionState) {
            connectionState = s;
            onConnectionStateChange.fire(s);
        }
    }

    /** The connection closed: every state is closed, without events (W3C section 4.4.1.7). */
    void closed() {
        closed = true;
        iceConnectionState = RTCIceConnectionState.CLOSED;
        connectionState = RTCPeerConnectionState.CLOSED;
        ice.closed();
        dtls.closed();
        onIceGatheringStateChange.clear();
        onIceConnectionStateChange.clear();
        onConnectionStateChange.clear();
    }
}
