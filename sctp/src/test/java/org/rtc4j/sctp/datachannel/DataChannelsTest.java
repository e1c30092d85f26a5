package org.rtc4j.sctp.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rtc4j.sctp.SctpSettings;
import org.rtc4j.sctp.SctpState;
import org.rtc4j.testkit.pump.EnginePump;
import org.rtc4j.testkit.pump.SimPump;
import org.rtc4j.testkit.sim.LinkConfig;
import org.rtc4j.testkit.sim.SimNetwork;

class DataChannelsTest {

    static DataChannels client(long max) {
        return new DataChannels(SctpSettings.defaults().withRandom(new Random(1)), true, max);
    }

    static DataChannels server(long max) {
        return new DataChannels(SctpSettings.defaults().withRandom(new Random(2)), false, max);
    }

    /** Client and server channels on the test kit's pump, 10 ms apart, connected. */
    record Pair(SimPump pump, EnginePump.Pair<DataChannelEvent> ends) {

        void runMillis(long millis) {
            pump.runFor(Duration.ofMillis(millis));
        }

        Instant now() {
            return pump.now();
        }
    }

    static Pair pair(DataChannels c, DataChannels s) {
        SimPump pump = EnginePump.simulated(new SimNetwork(3));
        Pair p = new Pair(pump, pump.pair(c, s));
        pump.link(p.ends()).configure(LinkConfig.delay(Duration.ofMillis(10)));
        c.connect(p.now());
        p.runMillis(1000);
        assertThat(c.association().state()).isEqualTo(SctpState.ESTABLISHED);
        return p;
    }

    static <T> List<T> of(Pair p, int side, Class<T> type) {
        return p.ends().side(side).events(type);
    }

    @Test
    void pathMtuDiscoveryThroughDataChannels() {
        DataChannels c = client(DataChannels.DEFAULT_MAX_MESSAGE_SIZE);
        DataChannels s = server(DataChannels.DEFAULT_MAX_MESSAGE_SIZE);
        c.setMaxMtu(java.time.Instant.EPOCH, 9000); // before the handshake: the search starts once established
        assertThat(c.pathMtu()).isEqualTo(1200);
        DataChannel ch = c.createDataChannel("bulk", DataChannelOptions.reliable());
        Pair p = pair(c, s);
        assertThat(c.pathMtu()).isEqualTo(9000);
        assertThat(c.association().stats().pmtuProbesConfirmed()).isEqualTo(1);
        assertThat(s.pathMtu()).isEqualTo(1200);
        byte[] big = new byte[60_000];
        new Random(4).nextBytes(big);
        ch.send(big);
        p.runMillis(1000);
        assertThat(of(p, 1, DataChannelEvent.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.data()).isEqualTo(big));
        c.setMaxMtu(p.now(), 1200);
        assertThat(c.pathMtu()).isEqualTo(1200);
    }

    @Test
    void openInBandWithLabelProtocolAndEveryKindOfMessage() {
        DataChannels c = client(DataChannels.DEFAULT_MAX_MESSAGE_SIZE);
        DataChannels s = server(DataChannels.DEFAULT_MAX_MESSAGE_SIZE);
        DataChannel chat = c.createDataChannel("chat", DataChannelOptions.reliable().protocol("json").priority(512));
        assertThat(chat.id()).isEqualTo(0);
        assertThat(chat.state()).isEqualTo(DataChannelState.CONNECTING);
        Pair p = pair(c, s);
        assertThat(chat.state()).isEqualTo(DataChannelState.OPEN);
        assertThat(of(p, 0, DataChannelEvent.Open.class)).hasSize(1);
        DataChannel remote = of(p, 1, DataChannelEvent.Incoming.class).getFirst().channel();
        assertThat(remote.label()).isEqualTo("chat");
        assertThat(remote.protocol()).isEqualTo("json");
        assertThat(remote.priority()).isEqualTo(512);
        assertThat(remote.id()).isEqualTo(0);
        assertThat(remote.ordered()).isTrue();
        chat.send("héllo");
        chat.send("");
        chat.send(new byte[] {1, 2});
        chat.send(new byte[0]);
        remote.send("back");
        p.runMillis(1000);
        List<DataChannelEvent.Message> got = of(p, 1, DataChannelEvent.Message.class);
        assertThat(got).hasSize(4);
        assertThat(got.get(0).text()).isEqualTo("héllo");
        assertThat(got.get(0).binary()).isFalse();
        assertThat(got.get(1).text()).isEmpty();
        assertThat(got.get(1).binary()).isFalse();
        assertThat(got.get(2).data()).containsExactly(1, 2);
        assertThat(got.get(2).binary()).isTrue();
        assertThat(got.get(3).data()).isEmpty();
        assertThat(got.get(3).binary()).isTrue();
        assertThat(of(p, 0, DataChannelEvent.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("back"));
    }

    @Test
    void idsFollowTheDtlsRoleAndEveryChannelTypeIsAnnounced() {
        DataChannels c = client(0);
        DataChannels s = server(0);
        Pair p = pair(c, s);
        DataChannel a = c.createDataChannel("a", DataChannelOptions.reliable().unordered());
        DataChannel b = c.createDataChannel("b", DataChannelOptions.reliable().maxRetransmits(3));
        DataChannel d = c.createDataChannel("d", DataChannelOptions.reliable().unordered().maxPacketLifeTime(1500));
        DataChannel e = s.createDataChannel("e", DataChannelOptions.reliable());
        assertThat(List.of(a.id(), b.id(), d.id(), e.id())).containsExactly(0, 2, 4, 1);
        p.runMillis(1000);
        List<DataChannel> atServer = of(p, 1, DataChannelEvent.Incoming.class).stream()
                .map(DataChannelEvent::channel).toList();
        assertThat(atServer).extracting(DataChannel::label).containsExactly("a", "b", "d");
        assertThat(atServer.get(0).ordered()).isFalse();
        assertThat(atServer.get(1).maxRetransmits()).isEqualTo(3);
        assertThat(atServer.get(1).ordered()).isTrue();
        assertThat(atServer.get(2).maxPacketLifeTime()).isEqualTo(1500);
        assertThat(atServer.get(2).ordered()).isFalse();
        assertThat(of(p, 0, DataChannelEvent.Incoming.class)).singleElement()
                .satisfies(i -> assertThat(i.channel().id()).isEqualTo(1));
    }

    @Test
    void negotiatedChannelsNeedNoDcep() {
        DataChannels c = client(0);
        DataChannels s = server(0);
        DataChannel x = c.createDataChannel("x", DataChannelOptions.reliable().negotiated(7));
        DataChannel y = s.createDataChannel("x", DataChannelOptions.reliable().negotiated(7));
        Pair p = pair(c, s);
        x.send("to y");
        y.send("to x");
        p.runMillis(500);
        assertThat(of(p, 1, DataChannelEvent.Incoming.class)).isEmpty();
        assertThat(of(p, 1, DataChannelEvent.Message.class)).singleElement().satisfies(m -> {
            assertThat(m.channel()).isSameAs(y);
            assertThat(m.text()).isEqualTo("to y");
        });
        assertThat(of(p, 0, DataChannelEvent.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("to x"));
        assertThatThrownBy(() -> c.createDataChannel("dup", DataChannelOptions.reliable().negotiated(7)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maxMessageSizeIsEnforcedBothWays() {
        // the client believes the server takes 300,000; the server really accepts only the default 262,144
        DataChannels c = client(300_000);
        DataChannels s = server(1000);
        DataChannel ch = c.createDataChannel("big", DataChannelOptions.reliable());
        Pair p = pair(c, s);
        DataChannel remote = of(p, 1, DataChannelEvent.Incoming.class).getFirst().channel();
        assertThatThrownBy(() -> remote.send(new byte[1001])).isInstanceOf(IllegalArgumentException.class);
        remote.send(new byte[1000]);
        ch.send(new byte[290_000]); // over the server's own limit: dropped there, association unharmed
        ch.send("still fine");
        p.runMillis(5000);
        assertThat(of(p, 1, DataChannelEvent.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("still fine"));
        assertThat(s.association().stats().oversizedDropped()).isEqualTo(1);
        assertThat(s.association().state()).isEqualTo(SctpState.ESTABLISHED);
        assertThat(of(p, 0, DataChannelEvent.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.data()).hasSize(1000));
    }

    @Test
    void closingOneChannelLeavesTheOthersOpen() {
        DataChannels c = client(0);
        DataChannels s = server(0);
        DataChannel one = c.createDataChannel("one", DataChannelOptions.reliable());
        DataChannel two = c.createDataChannel("two", DataChannelOptions.reliable());
        Pair p = pair(c, s);
        one.send("last words");
        one.close();
        assertThat(one.state()).isEqualTo(DataChannelState.CLOSING);
        assertThatThrownBy(() -> one.send("x")).isInstanceOf(IllegalStateException.class);
        p.runMillis(1000);
        assertThat(one.state()).isEqualTo(DataChannelState.CLOSED);
        List<DataChannel> remote = of(p, 1, DataChannelEvent.Incoming.class).stream()
                .map(DataChannelEvent::channel).toList();
        assertThat(remote.get(0).state()).isEqualTo(DataChannelState.CLOSED);
        assertThat(remote.get(1).state()).isEqualTo(DataChannelState.OPEN);
        assertThat(of(p, 1, DataChannelEvent.Closing.class)).hasSize(1);
        assertThat(of(p, 1, DataChannelEvent.Closed.class)).hasSize(1);
        assertThat(of(p, 0, DataChannelEvent.Closed.class)).hasSize(1);
        assertThat(of(p, 1, DataChannelEvent.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("last words"));
        two.send("alive");
        p.runMillis(500);
        assertThat(of(p, 1, DataChannelEvent.Message.class).getLast().text()).isEqualTo("alive");
        // the id is free again, and a new channel on it works
        DataChannel again = c.createDataChannel("again", DataChannelOptions.reliable());
        assertThat(again.id()).isEqualTo(0);
        p.runMillis(500);
        again.send("new");
        p.runMillis(500);
        assertThat(of(p, 1, DataChannelEvent.Message.class).getLast().text()).isEqualTo("new");
        assertThat(of(p, 1, DataChannelEvent.Message.class).getLast().channel().label()).isEqualTo("again");
    }

    @Test
    void bufferedAmountFallsAndTheLowEventFires() {
        DataChannels c = client(0);
        DataChannels s = server(0);
        DataChannel ch = c.createDataChannel("bulk", DataChannelOptions.reliable());
        Pair p = pair(c, s);
        ch.bufferedAmountLowThreshold(10_000);
        for (int i = 0; i < 100; i++) {
            ch.send(new byte[1000]);
        }
        assertThat(ch.bufferedAmount()).isEqualTo(100_000);
        p.runMillis(2000);
        assertThat(ch.bufferedAmount()).isZero();
        assertThat(of(p, 0, DataChannelEvent.BufferedAmountLow.class)).hasSize(1);
        assertThat(of(p, 1, DataChannelEvent.Message.class)).hasSize(100);
    }

    @Test
    void channelsBeyondTheNegotiatedStreamsAddStreams() {
        // both ends start with 4 outgoing streams and accept up to 64
        DataChannels c = new DataChannels(SctpSettings.defaults().withStreams(4, 64).withRandom(new Random(1)), true, 0);
        DataChannels s = new DataChannels(SctpSettings.defaults().withStreams(4, 64).withRandom(new Random(2)), false,
                0);
        Pair p = pair(c, s);
        assertThat(c.association().outboundStreams()).isEqualTo(4);
        List<DataChannel> mine = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(c.createDataChannel("ch" + i, DataChannelOptions.reliable()));
        }
        p.runMillis(1000);
        assertThat(c.association().outboundStreams()).isGreaterThanOrEqualTo(9);
        assertThat(mine).allSatisfy(ch -> assertThat(ch.state()).isEqualTo(DataChannelState.OPEN));
        mine.getLast().send("on stream 8");
        p.runMillis(500);
        assertThat(s.association().outboundStreams()).isGreaterThanOrEqualTo(9);
        DataChannel theirs = of(p, 1, DataChannelEvent.Incoming.class).getLast().channel();
        theirs.send("back on 8");
        p.runMillis(500);
        assertThat(of(p, 0, DataChannelEvent.Message.class)).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("back on 8"));
        assertThat(of(p, 1, DataChannelEvent.Incoming.class)).hasSize(5);
        assertThat(of(p, 1, DataChannelEvent.Message.class)).singleElement().satisfies(m -> {
            assertThat(m.channel().id()).isEqualTo(8);
            assertThat(m.text()).isEqualTo("on stream 8");
        });
    }

    @Test
    void peerOpensOnlyItsOwnParityAndUnknownStreamsAreDropped() {
        DataChannels c = client(0);
        DataChannels s = server(0);
        Pair p = pair(c, s);
        // the server pretends to be the client: an OPEN on an even id
        s.association().send(2, DcepMessage.PPID, new DcepMessage.Open(0, 256, 0, "bad", "").encode(),
                org.rtc4j.sctp.SendOptions.RELIABLE);
        s.association().send(5, DataChannel.PPID_STRING, "nobody".getBytes(), org.rtc4j.sctp.SendOptions.RELIABLE);
        s.association().send(5, DcepMessage.PPID, new byte[] {9, 9}, org.rtc4j.sctp.SendOptions.RELIABLE);
        p.runMillis(500);
        assertThat(of(p, 0, DataChannelEvent.Incoming.class)).isEmpty();
        assertThat(of(p, 0, DataChannelEvent.Message.class)).isEmpty();
        assertThat(c.dropped()).isEqualTo(3);
    }
}
