package org.rtc4j;

import java.util.function.Consumer;
import org.rtc4j.internal.EventSlot;
import org.rtc4j.internal.IoLoop;

/** The ICE transport of the connection (W3C section 5.6): its state, role and selected candidate pair. */
public final class RTCIceTransport {

    private final RTCPeerConnection pc;
    private volatile RTCIceTransportState state = RTCIceTransportState.NEW;
    private volatile RTCIceGathererState gatheringState = RTCIceGathererState.NEW;
    private volatile RTCIceRole role = RTCIceRole.UNKNOWN;
    private final EventSlot<RTCIceTransportState> onStateChange;
    private final EventSlot<RTCIceGathererState> onGatheringStateChange;
    private final EventSlot<RTCIceCandidatePair> onSelectedCandidatePairChange;

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

    // ------------------------------------------------------------------------ from the connection (its loop)

    void setState(RTCIceTransportState s) {
        if (state != s) {
            state = s;
            onStateChange.fire(s);
        }
    }

    void setGatheringState(RTCIceGathererState s) {
        if (gatheringState != s) {
            gatheringState = s;
            onGatheringStateChange.fire(s);
        }
    }

    void setRole(RTCIceRole value) {
        role = value;
    }

    void selectedPairChanged(RTCIceCandidatePair pair) {
        onSelectedCandidatePairChange.fire(pair);
    }

    /** The connection closed: the state is closed without an event, and queued events are dropped. */
    void closed() {
        state = RTCIceTransportState.CLOSED;
        onStateChange.clear();
        onGatheringStateChange.clear();
        onSelectedCandidatePairChange.clear();
    }
}
