package org.rtc4j;

import java.util.function.Consumer;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;

/** The ICE transport of the connection (W3C section 5.6): its state, role and selected candidate pair. */
public final class RTCIceTransport {

    private final RTCPeerConnection pc;
    volatile RTCIceTransportState state = RTCIceTransportState.NEW;
    volatile RTCIceGathererState gatheringState = RTCIceGathererState.NEW;
    volatile RTCIceRole role = RTCIceRole.UNKNOWN;
    final EventSlot<RTCIceTransportState> onStateChange;
    final EventSlot<RTCIceGathererState> onGatheringStateChange;
    final EventSlot<RTCIceCandidatePair> onSelectedCandidatePairChange;

    RTCIceTransport(RTCPeerConnection pc, IoLoop loop) {
        this.pc = pc;
        onStateChange = new EventSlot<>("ice statechange", loop);
        onGatheringStateChange = new EventSlot<>("ice gatheringstatechange", loop);
        onSelectedCandidatePairChange = new EventSlot<>("selectedcandidatepairchange", loop);
    }

    public RTCIceTransportState state() {
        return state;
    }

    public RTCIceGathererState gatheringState() {
        return gatheringState;
    }

    public RTCIceRole role() {
        return role;
    }

    public RTCIceComponent component() {
        return RTCIceComponent.RTP;
    }

    /** The selected pair, or {@code null} before ICE selected one. */
    public RTCIceCandidatePair getSelectedCandidatePair() {
        return pc.selectedPair();
    }

    public void onStateChange(Consumer<RTCIceTransportState> handler) {
        onStateChange.set(handler);
    }

    public void onGatheringStateChange(Consumer<RTCIceGathererState> handler) {
        onGatheringStateChange.set(handler);
    }

    public void onSelectedCandidatePairChange(Consumer<RTCIceCandidatePair> handler) {
        onSelectedCandidatePairChange.set(handler);
    }
}
