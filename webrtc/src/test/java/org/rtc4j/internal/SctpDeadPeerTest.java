package org.rtc4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.rtc4j.RTCSettings;
import org.rtc4j.ice.IceConnectionState;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.sctp.datachannel.DataChannel;
import org.rtc4j.sctp.datachannel.DataChannelEvent;
import org.rtc4j.sctp.datachannel.DataChannelOptions;
import org.rtc4j.sctp.datachannel.DataChannelState;

/**
 * A peer whose SCTP stack died while its ICE and DTLS stay alive (a hung application, a crashed data channel
 * process): nothing is being sent, so only SCTP's own heartbeats (RFC 9260 8.3) can find out. The association
 * closes and the channels with it, on the virtual clock.
 */
class SctpDeadPeerTest {

    @Test
    void anIdlePeerWhoseSctpFellSilentIsDeclaredDeadAndTheChannelsClose() throws Exception {
        PeerStackSimulationTest.Call call = new PeerStackSimulationTest.Call(1818, RTCSettings.defaults());
        call.connect();
        DataChannel channel = call.a.channels().createDataChannel("idle", DataChannelOptions.reliable());
        boolean[] closedEvent = new boolean[1];
        call.pa.onEvent(e -> closedEvent[0] |= e instanceof PeerEvent.Channel(DataChannelEvent.Closed c)
                && c.channel() == channel);
        assertThat(call.pump.runUntil(() -> channel.state() == DataChannelState.OPEN, Duration.ofSeconds(5)))
                .isTrue();
        call.pump.runFor(Duration.ofSeconds(10));
        Instant cut = call.pump.now();
        // B's DTLS application data (content type 23: its SCTP packets) is lost from now on; its STUN consent
        // checks and answers still pass, so ICE stays connected
        call.pb.dropSent(bytes -> bytes.length > 0 && bytes[0] == 23);
        assertThat(call.pump.runUntil(() -> call.a.channels().association().state() == SctpState.CLOSED,
                Duration.ofMinutes(30))).as("A declared B's SCTP dead").isTrue();
        Duration took = Duration.between(cut, call.pump.now());
        // Association.Max.Retrans (10) heartbeats unanswered, each an HB.interval (30 s) and a doubling RTO apart
        assertThat(took).isBetween(Duration.ofMinutes(3), Duration.ofMinutes(15));
        assertThat(channel.state()).isEqualTo(DataChannelState.CLOSED);
        assertThat(closedEvent[0]).isTrue();
        assertThat(call.a.ice().connectionState()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
    }
}
