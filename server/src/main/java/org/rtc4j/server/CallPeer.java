package org.rtc4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.rtc4j.LoopPlayer;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCDataChannelInit;
import org.rtc4j.RTCIceCandidate;
import org.rtc4j.RTCPeerConnection;
import org.rtc4j.RTCPeerConnectionState;
import org.rtc4j.RTCRtpTransceiverDirection;
import org.rtc4j.RTCSessionDescription;
import org.rtc4j.RTCSignalingState;
import org.rtc4j.media.FrameReader;
import org.rtc4j.media.MediaKind;
import org.rtc4j.media.MediaStream;
import org.rtc4j.media.MediaStreamTrack;
import org.rtc4j.media.PushSource;
import org.rtc4j.signaling.SignalingClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./rtc4j call}'s connection with one other member of the room, speaking the web app's protocol
 * (server/src/main/resources/web/js/peer.js): offers, answers and trickled candidates relayed by the signaling
 * server, a chat data channel negotiated on both sides as id 0, our tracks sent, theirs recorded. The newcomer
 * offers; an offer that crosses ours is settled as "perfect negotiation" does (the newcomer is impolite).
 * Every method runs on the call's one signaling thread, one message at a time.
 */
final class CallPeer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CallPeer.class);
    private static final long STEP_SECONDS = 30;

    private final String id;
    private final boolean polite;
    private final SignalingClient signaling;
    private final RTCPeerConnection pc;
    private final MediaStream stream;
    /** Plays this connection's own sources on its loop, from when it is connected. */
    private final LoopPlayer player;
    /** The tracks of the sources it plays (not the shared ones), stopped with it. */
    private final List<MediaStreamTrack> played = new ArrayList<>();

    /**
     * One of the tracks we send: a track every connection shares (the encoded pattern, whose encoder keeps a
     * thread of its own), or a reader each connection plays on its own loop ({@link LoopPlayer}: files and the
     * pre-encoded tone cost little per frame, and need no thread of their own).
     */
    record Source(MediaStreamTrack shared, Supplier<FrameReader> reader, boolean loop, MediaKind kind, String label) {

        static Source shared(MediaStreamTrack track) {
            return new Source(track, null, false, track.kind(), track.label());
        }

        static Source played(Supplier<FrameReader> reader, boolean loop, MediaKind kind, String label) {
            return new Source(null, reader, loop, kind, label);
        }
    }

    /**
     * @param polite true when the other side arrived later (it offers; its offers win a collision)
     * @param sources what we send, in the order of our stream's tracks
     */
    CallPeer(String id, boolean polite, SignalingClient signaling, RTCConfiguration configuration,
             List<Source> sources, CallRecorder recorder) {
        this.id = id;
        this.polite = polite;
        this.signaling = signaling;
        this.pc = new RTCPeerConnection(configuration, PeerCommand.settings());
        this.player = new LoopPlayer(pc);
        List<MediaStreamTrack> tracks = new ArrayList<>();
        for (Source s : sources) {
            if (s.shared() != null) {
                tracks.add(s.shared());
            } else {
                PushSource source = new PushSource(s.kind(), s.label());
                player.add(s.reader().get(), s.loop(), source);
                MediaStreamTrack track = source.createTrack();
                played.add(track);
                tracks.add(track);
            }
        }
        this.stream = new MediaStream(tracks);
        pc.createDataChannel("chat", RTCDataChannelInit.defaults().withNegotiatedId(0))
                .onMessage(m -> LOG.info("chat from {}: {}", id, m.isBinary() ? m.size() + " bytes" : m.text()));
        pc.onIceCandidate(c -> {
            if (c != null && !c.isEndOfCandidates()) {
                signaling.send("candidate", id, json(c.toJson()));
            }
        });
        pc.onConnectionStateChange(s -> {
            LOG.info("{}: {}", id, s);
            if (s == RTCPeerConnectionState.CONNECTED) {
                player.start();   // once; the first frames leave in this very event
            }
        });
        if (recorder != null) {
            pc.onTrack(e -> recorder.record(id, e.track()));
        }
    }

    /** We arrived last: our tracks on new transceivers, and the first offer. */
    void offer() throws Exception {
        for (MediaStreamTrack t : stream.getTracks()) {
            pc.addTrack(t, stream);
        }
        pc.setLocalDescription().get(STEP_SECONDS, TimeUnit.SECONDS);
        sendLocalDescription();
    }

    /** An offer or answer from the other side. */
    void onDescription(JsonNode data) throws Exception {
        String type = data.path("type").asText();
        String sdp = data.path("sdp").asText();
        if ("answer".equals(type)) {
            pc.setRemoteDescription(RTCSessionDescription.answer(sdp)).get(STEP_SECONDS, TimeUnit.SECONDS);
            return;
        }
        if (!"offer".equals(type)) {
            return;
        }
        if (pc.signalingState() != RTCSignalingState.STABLE) {
            if (!polite) {
                LOG.debug("{}: ignoring an offer that crossed ours", id);
                return;
            }
            pc.setLocalDescription(RTCSessionDescription.rollback()).get(STEP_SECONDS, TimeUnit.SECONDS);
        }
        pc.setRemoteDescription(RTCSessionDescription.offer(sdp)).get(STEP_SECONDS, TimeUnit.SECONDS);
        sendOnOfferedTransceivers();
        pc.setLocalDescription().get(STEP_SECONDS, TimeUnit.SECONDS);
        sendLocalDescription();
    }

    /**
     * Our track of each kind goes out on the first transceiver of that kind the offer made, if it sends none:
     * addTrack takes such a transceiver (JSEP section 5.10) and gives it our stream and track ids, which the
     * answer's {@code a=msid} must carry (Chromium refuses two sections with the same one).
     */
    private void sendOnOfferedTransceivers() {
        for (MediaStreamTrack track : stream.getTracks()) {
            if (pc.getSenders().stream().anyMatch(s -> s.track() == track)) {
                continue;
            }
            boolean offered = pc.getTransceivers().stream().anyMatch(t -> t.mid() != null
                    && t.receiver().track().kind() == track.kind() && t.sender().track() == null
                    && t.direction() != RTCRtpTransceiverDirection.STOPPED);
            if (offered) {
                pc.addTrack(track, stream);
            } else {
                LOG.info("{}: the offer has no {} section to send on", id, track.kind());
            }
        }
    }

    void onCandidate(JsonNode data) {
        String candidate = data.path("candidate").asText("");
        if (candidate.isEmpty()) {
            return; // end of candidates: nothing to do
        }
        JsonNode index = data.path("sdpMLineIndex");
        pc.addIceCandidate(new RTCIceCandidate(candidate, data.path("sdpMid").asText(null),
                index.isInt() ? index.asInt() : null, data.path("usernameFragment").asText(null)))
                .exceptionally(e -> {
                    LOG.debug("{}: candidate refused: {}", id, e.getMessage());
                    return null;
                });
    }

    RTCPeerConnection connection() {
        return pc;
    }

    private void sendLocalDescription() {
        RTCSessionDescription d = pc.localDescription();
        ObjectNode n = PeerLines.JSON.createObjectNode();
        n.put("type", d.type().value());
        n.put("sdp", d.sdp());
        signaling.send(d.type().value(), id, n);
    }

    private static JsonNode json(String text) {
        try {
            return PeerLines.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        player.close();
        pc.close();
        played.forEach(MediaStreamTrack::stop);
    }
}
